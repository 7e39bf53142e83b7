"""Writes: each public function here is one transaction."""
