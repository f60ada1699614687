"""Digital signatures on PDF files (pyHanko) as the screens and commands use them.

Importing this module loads pyHanko and the crypto stack: callers import it where signing or
checking was asked for, never at start-up.
"""

from __future__ import annotations

from ictappraise.io.pdf_sign import SignatureCheck, SigningError, sign_pdf_pkcs11, sign_pdf_pkcs12, verify_pdf

__all__ = ["SignatureCheck", "SigningError", "sign_pdf_pkcs11", "sign_pdf_pkcs12", "verify_pdf"]
