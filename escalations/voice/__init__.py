"""The voice of creators and users: redacted text, complaint themes and the emerging ones.

Modules: ``redact`` (personal data out of free text), ``language`` (which language a text is in),
``text`` (reading raw text and writing the redacted text table), ``themes`` (TF-IDF + NMF per
language, keys kept from night to night), ``emerging`` (week x theme counts and the emerging rule),
``evaluate`` (the themes against the demo generator's truth).
"""
