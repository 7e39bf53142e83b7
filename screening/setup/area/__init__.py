"""The clinic's set-up on the staff side (issue 17): profile, locations, treatments, practitioners and their hours.

For clinic admins (``core.change_clinicsettings``), two-factor like every staff page, in the app's own look.
Views are thin; every write is a service in ``services``, one transaction, audited.
"""
