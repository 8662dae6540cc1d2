"""The derivative reference docs/derivatives.md is generated from the registry and kept up to date."""

import pathlib

import chainrule as cr
from chainrule.reference import PATH, reference

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_the_derivative_reference_is_up_to_date():
    on_disk = (ROOT / PATH).read_text(encoding="utf-8")
    assert on_disk == reference(), "docs/derivatives.md is out of date: run `python -m chainrule.reference`"


def test_the_reference_lists_every_primitive_with_its_declared_math():
    text = reference()
    for prim in cr.primitives.values():
        assert f"| `{prim.name}` |" in text
    assert "| `sin` | sin x | ẋ × cos x | x̄ = ḡ × cos x |" in text
    assert "| `matmul` | A @ B | Ȧ @ B + A @ Ḃ | Ā = ḡ @ Bᵀ; B̄ = Aᵀ @ ḡ |" in text
