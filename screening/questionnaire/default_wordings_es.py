"""The default questionnaire's wording in Spanish (issue 16), as plain data keyed by the English's codes.

Steps by number, questions by code (with their answers' labels by choice code),
rules' patient messages by rule code, with the same {placeholders} as the
English. Installed beside the English by ``seed_wordings.install_wordings``
(migration 0010 and ``seed_demo``); the clinic edits them in the set-up.
Usted throughout. Nothing here imports Django.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CLINIC_TEXTS_ES", "QUESTIONS_ES", "RULES_ES", "STEPS_ES", "TREATMENTS_ES"]

NEVER = "Nunca, o no en los últimos años"

STEPS_ES: dict[int, tuple[str, str]] = {
    1: ("Sobre usted", "Unos datos para poder contactar con usted. Con su correo podrá volver a este formulario "
        "más tarde."),
    2: ("Sus objetivos", "Cuéntenos qué le gustaría mejorar. Así su profesional podrá planificar su sesión."),
    3: ("Su piel hoy", "La micropunción no es adecuada para todo el mundo. Estas preguntas nos ayudan a protegerle. "
        "Sus respuestas son privadas y solo las ve nuestro equipo clínico."),
    4: ("Cómo cicatriza su piel", "Algunas enfermedades de la piel pueden aparecer donde entran las agujas, aunque "
        "estén controladas."),
    5: ("Su salud en general", "¿No está seguro/a de una respuesta? Elija «No estoy seguro/a» cuando aparezca: "
        "un profesional clínico lo revisará."),
    6: ("Medicamentos y alergias", "Algunos medicamentos cambian cómo cicatriza la piel. Basta con el nombre de "
        "la caja."),
    7: ("Tratamientos que se ha hecho", "Si solo recuerda el mes, no pasa nada: escriba el mes y el año."),
    8: ("Consentimiento", "Lea esto con atención antes de enviar sus respuestas."),
}

QUESTIONS_ES: dict[str, dict[str, Any]] = {
    "first_name": {"label": "Nombre"},
    "last_name": {"label": "Apellidos"},
    "date_of_birth": {"label": "Fecha de nacimiento",
                      "help_text": "Solo tratamos a personas adultas, así que necesitamos comprobar su edad."},
    "email": {"label": "Correo electrónico",
              "help_text": "Le enviaremos un enlace para volver a sus respuestas y a los datos de su reserva."},
    "phone": {"label": "Teléfono móvil (opcional)",
              "help_text": "Solo lo usaremos si necesitamos contactar con usted sobre su cita."},
    "concerns": {"label": "¿En qué le gustaría que le ayudáramos?", "help_text": "Marque todo lo que corresponda.",
                 "choice_labels": {"wrinkles": "Líneas finas y arrugas", "acne_scars": "Cicatrices de acné",
                                   "other_scars": "Otras cicatrices", "hair_loss": "Caída del cabello",
                                   "pigmentation": "Tono de piel irregular o manchas oscuras",
                                   "stretch_marks": "Estrías", "rosacea": "Enrojecimiento (rosácea)",
                                   "loose_skin": "Flacidez de la piel", "sun_damage": "Daño solar"}},
    "active_skin_infection": {"label": "¿Tiene ahora mismo una infección, una herida abierta o un herpes labial "
                                       "en la zona o cerca de ella?"},
    "active_acne": {"label": "¿Tiene ahora mismo granos rojos e inflamados (acné) en la zona?"},
    "unstable_skin": {"label": "¿Tiene ahora mismo irritada la piel de la zona?",
                      "help_text": "Por ejemplo, un brote de eccema, psoriasis o rosácea, una quemadura solar, o "
                                   "piel dolorida o con heridas."},
    "warts_in_area": {"label": "¿Tiene verrugas o molusco contagioso en la zona?",
                      "help_text": "Pequeños bultos duros causados por un virus. Las agujas podrían extenderlos a "
                                   "otras zonas de la piel."},
    "skin_cancer_in_area": {"label": "¿Tiene en la zona cáncer de piel, lesiones precancerosas o lunares que están "
                                     "cambiando?"},
    "tattoo_in_area": {"label": "¿Tiene un tatuaje o maquillaje permanente en la zona?",
                       "help_text": "Su profesional trabajará alrededor."},
    "cold_sore_history": {"label": "¿Ha tenido alguna vez herpes labial (calenturas)?",
                          "help_text": "Pequeñas ampollas en los labios o alrededor que reaparecen de vez en "
                                       "cuando."},
    "keloid_history": {"label": "¿Ha tenido alguna vez una cicatriz queloide?",
                       "help_text": "Un queloide es una cicatriz que sigue creciendo más allá de los bordes de la "
                                    "herida original."},
    "raised_scar_history": {"label": "¿Sus cicatrices suelen quedar abultadas o gruesas?",
                            "help_text": "Cicatrices abultadas que no pasan de los bordes de la herida (cicatrices "
                                         "hipertróficas)."},
    "pigmentation_history": {"label": "¿Se le ha oscurecido alguna vez la piel en manchas después de una herida, "
                                      "un grano o un tratamiento, o tiene melasma?",
                             "help_text": "El melasma son manchas marrones o grisáceas, a menudo en las mejillas, "
                                          "la frente o encima del labio."},
    "koebner_condition": {"label": "¿Ha tenido alguna vez vitíligo, psoriasis o liquen plano?",
                          "help_text": "Aunque ahora esté controlado: estas enfermedades pueden aparecer donde la "
                                       "piel se lesiona."},
    "autoimmune_condition": {"label": "¿Tiene una enfermedad autoinmune?",
                             "help_text": "Por ejemplo lupus, esclerodermia u otra enfermedad que afecte a su piel "
                                          "o a sus articulaciones."},
    "previous_reaction": {"label": "¿Ha tenido antes una mala reacción a la micropunción?",
                          "help_text": "Por ejemplo una infección, un sarpullido, manchas oscuras o cicatrices "
                                       "después."},
    "bleeding_disorder": {"label": "¿Tiene un trastorno de la coagulación o de sangrado?",
                          "help_text": "Por ejemplo hemofilia, o le salen moratones y sangra con mucha facilidad."},
    "blood_thinners": {"label": "¿Toma algún medicamento que hace la sangre más líquida (anticoagulante)?",
                       "help_text": "Por ejemplo warfarina, apixabán, rivaroxabán, clopidogrel o aspirina a "
                                    "diario."},
    "blood_thinners_detail": {"label": "¿Qué medicamento, y cuánto toma?",
                              "help_text": "Si no está seguro/a, basta con el nombre de la caja."},
    "pregnant_or_breastfeeding": {"label": "¿Está embarazada o dando el pecho?"},
    "immunosuppressed": {"label": "¿Tiene las defensas bajas, o toma algún medicamento que las baja?",
                         "help_text": "Por ejemplo después de un trasplante, durante la quimioterapia o con "
                                      "corticoides en pastillas."},
    "diabetes": {"label": "¿Tiene diabetes?",
                 "choice_labels": {"none": "No", "controlled": "Sí, y está bien controlada",
                                   "uncontrolled": "Sí, y no está bien controlada"}},
    "anesthetic_allergy": {"label": "¿Ha tenido alguna vez una mala reacción a una crema o inyección anestésica?",
                           "help_text": "Por ejemplo la lidocaína que se usa en el dentista."},
    "metal_allergy": {"label": "¿Es alérgico/a al níquel o al acero inoxidable?",
                      "help_text": "Por ejemplo, un sarpullido por bisutería o por la hebilla de la correa del "
                                   "reloj."},
    "isotretinoin_current": {"label": "¿Toma isotretinoína ahora?",
                             "help_text": "Un medicamento para el acné, que también se vende como Roaccutan o "
                                          "Absorica."},
    "isotretinoin_last_taken": {"label": "¿Cuándo tomó isotretinoína por última vez?",
                                "help_text": "Si todavía la toma, responda «Sí» arriba y ponga la fecha de hoy. "
                                             "Elija «Nunca» si no la ha tomado nunca.",
                                "never_label": NEVER},
    "retinoid_last_used": {"label": "¿Cuándo usó por última vez en la zona un producto con retinol, retinoides o "
                                    "ácidos?",
                           "help_text": "Cremas o sérums con retinol, tretinoína, ácido glicólico o salicílico. "
                                        "Elija «Nunca» si no los usa.",
                           "never_label": NEVER},
    "medications": {"label": "¿Toma algún otro medicamento? (opcional)",
                    "help_text": "Incluidos suplementos, cremas e inyecciones."},
    "other_allergies": {"label": "¿Tiene alguna otra alergia? (opcional)",
                        "help_text": "A medicamentos, cremas, metales o cualquier otra cosa, y qué le pasó."},
    "radiation_last_date": {"label": "¿Cuándo recibió radioterapia en la zona por última vez?",
                            "help_text": "Da igual cuánto tiempo haga. Elija «Nunca» solo si nunca ha recibido "
                                         "radioterapia ahí.",
                            "never_label": "Nunca"},
    "peel_or_laser_last_date": {"label": "¿Cuándo se hizo por última vez un peeling químico, láser o luz pulsada "
                                         "(IPL) en la zona?",
                                "help_text": "Elija «Nunca» si no se lo ha hecho.", "never_label": NEVER},
    "deep_resurfacing_last_date": {"label": "¿Cuándo se hizo por última vez en la zona un peeling profundo, un "
                                            "láser ablativo o fraccionado, o una dermoabrasión?",
                                   "help_text": "Tratamientos más fuertes que quitan capas de piel. Elija «Nunca» "
                                                "si no se lo ha hecho.",
                                   "never_label": NEVER},
    "toxin_last_date": {"label": "¿Cuándo se puso por última vez inyecciones antiarrugas (como el bótox) en la "
                                 "zona?",
                        "help_text": "Elija «Nunca» si no se las ha puesto.", "never_label": NEVER},
    "filler_last_date": {"label": "¿Cuándo se puso por última vez inyecciones de relleno dérmico en la zona?",
                         "help_text": "Elija «Nunca» si no se las ha puesto.", "never_label": NEVER},
    "last_microneedling_date": {"label": "¿Cuándo fue su última sesión de micropunción?",
                                "help_text": "Elija «Nunca» si es la primera vez.", "never_label": NEVER},
    "anything_changed": {"label": "¿Ha cambiado algo más de su salud o de su piel desde su última visita? "
                                  "(opcional)",
                         "help_text": "Por ejemplo una crema o un medicamento nuevos, un diagnóstico nuevo, una "
                                      "reacción o un tratamiento en otro sitio. Déjelo vacío si no ha cambiado "
                                      "nada."},
    "consent_risks": {"label": "He leído y entiendo los posibles efectos secundarios",
                      "help_text": "Es frecuente tener hinchazón, molestias, enrojecimiento, moratones, sequedad "
                                   "y descamación durante unos días. Con menos frecuencia: infección, cambios en "
                                   "el color de la piel o una reacción a las cremas usadas durante el "
                                   "tratamiento. Si tiene un trastorno de la coagulación o toma anticoagulantes, "
                                   "puede sangrar más de lo normal."},
    "consent_signature": {"label": "Escriba su nombre completo para firmar",
                          "help_text": "Su nombre y sus apellidos, tal como los indicó arriba."},
}

_REVIEW = "Uno de nuestros profesionales clínicos revisará sus respuestas antes de confirmar su cita."

RULES_ES: dict[str, str] = {
    "BLEEDING_DISORDER": f"{_REVIEW} Como puede sangrar o tener moratones con más facilidad, puede que primero "
                         "pidamos consejo a su médico.",
    "BLOOD_THINNERS": f"{_REVIEW} Siga tomando su medicamento como se lo han recetado, salvo que su médico le diga "
                      "otra cosa.",
    "ACTIVE_INFECTION": "La micropunción no es segura mientras haya una infección, una herida abierta o un herpes "
                        "labial en la zona o cerca de ella. Cuando se haya curado del todo, puede volver a "
                        "rellenar este formulario. Hable con su médico, que puede aconsejarle.",
    "ACTIVE_ACNE": "La micropunción no es adecuada mientras haya granos inflamados en la zona, porque puede "
                   "empeorarlos. Su médico puede ayudarle a calmarlos, y después puede volver.",
    "KELOID": "Como su piel ya formó una cicatriz que siguió creciendo, la micropunción podría causar otra, así que "
              "no podemos ofrecérsela. Hable con su médico, que puede aconsejarle.",
    "RAISED_SCARS": f"{_REVIEW} Como sus cicatrices pueden quedar abultadas, comprobaremos cuál es la mejor forma "
                    "de tratarle.",
    "UNSTABLE_SKIN": "La micropunción no es adecuada mientras la piel de la zona esté irritada, quemada por el sol "
                     "o en brote. Cuando su piel se haya calmado, puede volver a rellenar este formulario. Si no "
                     "se calma, hable con su médico.",
    "WARTS": "La micropunción podría extender las verrugas o el molusco contagioso a otras zonas de la piel, así "
             "que no podemos tratar la zona mientras estén ahí. Cuando hayan desaparecido, puede volver a "
             "rellenar este formulario. Hable con su médico, que puede aconsejarle.",
    "TATTOO": "Su profesional trabajará alrededor de su tatuaje o maquillaje permanente.",
    "PREGNANCY": "No ofrecemos micropunción durante el embarazo ni la lactancia. Estaremos encantados de verle "
                 "después. Mientras tanto, su médico o su matrona pueden aconsejarle.",
    "PREGNANCY_UNSURE": f"{_REVIEW} Primero lo hablaremos con usted, porque no tratamos durante el embarazo.",
    "SKIN_CANCER": "No podemos ofrecer micropunción en una zona con cáncer de piel, lesiones que podrían volverse "
                   "cancerosas o lunares que están cambiando. Hable con su médico, que puede revisarle la zona.",
    "UNDER_18": "Nuestra clínica ofrece micropunción solo a personas adultas. Puede reservar a partir de su 18.º "
                "cumpleaños, el {eligible_from}.",
    "ISOTRETINOIN_CURRENT": "La micropunción no es adecuada mientras toma isotretinoína, porque su piel no puede "
                            "cicatrizar bien. Podrá reservar a partir de 6 meses después de su última dosis: "
                            "vuelva a rellenar este formulario entonces. Su médico puede darle más información.",
    "ISOTRETINOIN": "Como ha tomado isotretinoína (Roaccutan) en los últimos {window}, su piel necesita más tiempo "
                    "para cicatrizar bien. Puede reservar a partir del {eligible_from}.",
    "PEEL_OR_LASER": "Su piel necesita {window} para recuperarse después de un peeling, un láser o un tratamiento "
                     "con luz. Puede reservar a partir del {eligible_from}.",
    "DEEP_RESURFACING": "Su piel necesita {window} para recuperarse después de un peeling profundo, un láser o una "
                        "dermoabrasión. Puede reservar a partir del {eligible_from}.",
    "TOXIN": "Las inyecciones antiarrugas necesitan {window} para asentarse antes de la micropunción en la cara. "
             "Puede reservar a partir del {eligible_from}.",
    "FILLER": "El relleno dérmico necesita {window} para asentarse antes de la micropunción en la cara. Puede "
              "reservar a partir del {eligible_from}.",
    "RETINOID": "Deje de usar productos con retinol, retinoides o ácidos en la zona durante {window} antes de su "
                "tratamiento. Puede reservar a partir del {eligible_from}.",
    "SESSION_INTERVAL": "Su piel necesita unos {window} entre sesiones de micropunción para aprovechar todo el "
                        "beneficio. Puede reservar a partir del {eligible_from}.",
    "COLD_SORES": f"{_REVIEW} El tratamiento en la cara a veces hace que vuelva el herpes labial, y un medicamento "
                  "sencillo antes puede ayudar a evitarlo.",
    "IMMUNOSUPPRESSED": f"{_REVIEW} Su piel puede cicatrizar más despacio, así que comprobaremos que el "
                        "tratamiento es adecuado para usted.",
    "DIABETES_UNCONTROLLED": f"{_REVIEW} La diabetes que no está bien controlada puede hacer más lenta la "
                             "cicatrización, así que lo comprobaremos primero.",
    "AUTOIMMUNE": f"{_REVIEW} Algunas enfermedades pueden afectar a cómo cicatriza la piel, así que lo "
                  "comprobaremos primero.",
    "KOEBNER": f"{_REVIEW} Estas enfermedades a veces aparecen donde se trata la piel, así que lo comprobaremos "
               "primero.",
    "PIGMENTATION": f"{_REVIEW} Su piel puede oscurecerse después de una irritación, así que planificaremos su "
                    "tratamiento para protegerla.",
    "PREVIOUS_REACTION": f"{_REVIEW} Queremos entender qué pasó la última vez, para que no vuelva a ocurrir.",
    "RADIATION": f"{_REVIEW} La piel que ha recibido radioterapia puede cicatrizar de otra forma, incluso años "
                 "después, así que lo comprobaremos primero.",
    "ANESTHETIC_ALLERGY": f"{_REVIEW} Normalmente usamos una crema anestésica, así que planificaremos su "
                          "tratamiento teniendo en cuenta su reacción.",
    "METAL_ALLERGY": f"{_REVIEW} Algunas agujas contienen níquel, así que nos aseguraremos de usar unas que le "
                     "vayan bien.",
    "MEDICINE_MENTIONED": f"{_REVIEW} Uno de los medicamentos o alergias que nos indicó puede ser importante para "
                          "la micropunción.",
    "MEDICINES_LISTED": "Su profesional leerá los medicamentos y alergias que nos ha indicado.",
    "CHANGED_SINCE_LAST_VISIT": f"{_REVIEW} Nos ha dicho que algo ha cambiado desde su última visita, y queremos "
                                "revisarlo primero.",
}

#: The default treatments' names and descriptions, by code: (English name, Spanish name, Spanish description).
#: Installed only on a treatment whose name is still the default English (a renamed one is the clinic's to word).
TREATMENTS_ES: dict[str, tuple[str, str, str]] = {
    "face": ("Face and neck", "Cara y cuello",
             "Suaviza las líneas finas, las cicatrices de acné y la textura irregular de la cara y el cuello."),
    "scalp": ("Scalp (hair loss)", "Cuero cabelludo (caída del cabello)",
              "Estimula el crecimiento del cabello donde se está debilitando."),
    "body": ("Body (stretch marks, scars)", "Cuerpo (estrías, cicatrices)",
             "Suaviza las estrías y las cicatrices del cuerpo."),
}

#: The clinic's default free texts (``core.ClinicSettings``'s defaults and the demo's cancellation policy):
#: field -> (English, Spanish). Installed only where the clinic's English is still this one.
CLINIC_TEXTS_ES: dict[str, tuple[str, str]] = {
    "pre_care_text": (
        "Please avoid sunbathing and sunbeds for two weeks before, and come with clean skin, without make-up.",
        "Evite tomar el sol y las camas solares durante las dos semanas anteriores, y venga con la piel limpia, "
        "sin maquillaje."),
    "aftercare_text": (
        "For 48 hours: no make-up, no exercise that makes you sweat, no swimming; a gentle cleanser and "
        "moisturiser only, and sunscreen (SPF 30 or more) every day for two weeks.",
        "Durante 48 horas: nada de maquillaje, ni ejercicio que le haga sudar, ni piscina; solo un limpiador "
        "suave y una crema hidratante, y protector solar (FPS 30 o más) todos los días durante dos semanas."),
    "cancellation_text": (
        "Please give us at least 24 hours' notice if you need to cancel or move your appointment, so that "
        "someone else can have the time.",
        "Si necesita cancelar o cambiar su cita, avísenos con al menos 24 horas de antelación, para que otra "
        "persona pueda aprovechar la hora."),
}
