"""Saved documents are encrypted by default (issue 12, item 7).

A document saved to a file (the preview's "Save as", ``shelterdesk print
--out``) carries her name, her children and the danger note, so it is written
as a password-protected PDF — AES-256 (PDF 2.0 / revision 6 security handler,
through pikepdf/qpdf), which opens in any PDF reader after the password — or as
an age file (scrypt passphrase, pyrage). The password is generated here and
shown once; it is never stored or logged. A plain PDF is written only after an
explicit choice, and audited as such by the caller. Printing to paper is
unchanged (it never touches a file).

pikepdf and pyrage are imported when first used (start-up cost).
"""

from __future__ import annotations

import secrets

#: How a saved document is protected; the audit detail uses these codes.
PDF_AES256 = "pdf-aes256"
AGE = "age"
PLAIN = "plain"
KINDS = (PDF_AES256, AGE, PLAIN)

#: No 0/O, 1/I/L, U: read aloud or copied from the screen without doubt.
_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"


def new_password(groups: int = 5, size: int = 4) -> str:
    """A random password shown once: 20 characters of a 30-letter alphabet
    (about 98 bits), in groups of four joined by hyphens."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _i in range(size))
                    for _g in range(groups))


def encrypt_pdf(data: bytes, password: str) -> bytes:
    """``data`` (a PDF) encrypted with AES-256 under ``password``; the owner
    password is random and forgotten, so the permissions cannot be lifted."""
    import io

    import pikepdf
    with pikepdf.open(io.BytesIO(data)) as pdf:
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(
            user=password, owner=secrets.token_urlsafe(24), R=6, aes=True,
            allow=pikepdf.Permissions(extract=False, modify_annotation=False,
                                      modify_assembly=False, modify_form=False,
                                      modify_other=False)))
    return out.getvalue()


def encrypt_age(data: bytes, password: str) -> bytes:
    """``data`` as an age file (scrypt passphrase stanza)."""
    from pyrage import passphrase
    return passphrase.encrypt(data, password)


def protect(data: bytes, kind: str, password: str | None) -> bytes:
    """The bytes to write for ``kind``; ``password`` is required unless plain."""
    if kind == PLAIN:
        return data
    if not password:
        raise ValueError("a password is required")
    if kind == PDF_AES256:
        return encrypt_pdf(data, password)
    if kind == AGE:
        return encrypt_age(data, password)
    raise ValueError(kind)
