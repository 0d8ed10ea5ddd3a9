"""Tensor contractions: `einsum` (a primitive) and the products NumPy builds on it or on
matmul: tensordot dot vdot inner outer kron (compositions).

einsum accepts every subscript form NumPy does: explicit (`"ij,jk->ik"`), implicit
(`"ij,jk"`: the letters used once, in ASCII order), `...` for broadcast axes, repeated
letters (`"ii->i"`, a diagonal), letters of length 1 broadcast against longer ones, and
the sublist form `einsum(a, [0, 1], b, [1, 2], [0, 2])`. Errors name the operand, its
shape and its subscripts before NumPy sees them.

The vjp of operand k is one more einsum: the output's gradient contracted with the other
operands, into operand k's subscripts. Letters only operand k has (summed inside it) are
supplied by a vector of ones, a repeated letter by identity matrices (its gradient sits
on the diagonal), and `...` by ones of operand k's broadcast shape; the engine sums
whatever was broadcast back to the operand's shape. Being an einsum, the vjp
differentiates again.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd_core.op import defop
from autograd_core.tensor import Tensor

from .elementwise import multiply, unwrap
from .linalg import matmul
from .shape import reshape

_LETTERS = string.ascii_uppercase + string.ascii_lowercase  # NumPy's sublist numbering


class Spec:
    """Parsed subscripts with every '...' replaced by letters of its own (right-aligned, so
    an operand with fewer broadcast axes takes the last ones): one term per operand and
    the output term, each a string of letters, and each letter's (broadcast) length."""

    __slots__ = ("inputs", "output", "sizes")

    def __init__(self, inputs: list[str], output: str, sizes: dict[str, int]) -> None:
        self.inputs, self.output, self.sizes = inputs, output, sizes

    def text(self) -> str:
        return ",".join(self.inputs) + "->" + self.output


def _terms(text: str, where: str) -> list[str]:
    """'ab...c' -> ['a', 'b', '...', 'c'], refusing anything but letters and one '...'."""
    out: list[str] = []
    rest = text
    while rest:
        if rest.startswith("..."):
            if "..." in out:
                raise ValueError(f"einsum: {where} '{text}' has '...' more than once.")
            out.append("...")
            rest = rest[3:]
        elif rest[0] in _LETTERS:
            out.append(rest[0])
            rest = rest[1:]
        else:
            raise ValueError(
                f"einsum: {where} '{text}' holds {rest[0]!r}; subscripts are letters a-z, "
                "A-Z and '...'."
            )
    return out


def _from_sublists(args: Sequence[Any]) -> tuple[str, list[Any]]:
    """NumPy's sublist form (op0, [0, 1], op1, [1, 2], [0, 2]) as subscripts and operands."""

    def letters(sub: Any) -> str:
        try:
            return "".join("..." if s is Ellipsis else _LETTERS[int(s)] for s in sub)
        except (IndexError, TypeError, ValueError):
            raise ValueError(
                f"einsum: sublist {sub!r} must hold ints in [0, 52) and Ellipsis."
            ) from None

    operands, terms = list(args[0::2]), [letters(s) for s in args[1::2]]
    if len(args) % 2:  # an output sublist at the end
        out = letters(args[-1])
        operands = operands[:-1]
        return ",".join(terms) + "->" + out, operands
    return ",".join(terms), operands


def parse(subscripts: str, shapes: Sequence[tuple[int, ...]]) -> Spec:
    """Check the subscripts against the operands' shapes (naming the operand at fault),
    make the output explicit and spell out '...' in letters."""
    text = subscripts.replace(" ", "")
    left, arrow, right = text.partition("->")
    raw = left.split(",")
    if len(raw) != len(shapes):
        raise ValueError(
            f"einsum: the subscripts '{subscripts}' name {len(raw)} operand(s) but "
            f"{len(shapes)} were given; separate one term per operand with commas."
        )
    terms = [_terms(t, f"operand {k}'s subscripts") for k, t in enumerate(raw)]
    ellipses: list[tuple[int, ...]] = []
    named_axes: list[list[tuple[str, int]]] = []
    for k, (term, shape) in enumerate(zip(terms, shapes, strict=True)):
        named = [s for s in term if s != "..."]
        if len(named) > len(shape) or ("..." not in term and len(named) != len(shape)):
            raise ValueError(
                f"einsum: operand {k} has {len(shape)} axes (shape {shape}) but its "
                f"subscripts '{raw[k]}' name {len(named)}; give one letter per axis, or "
                "'...' for the axes not named."
            )
        if "..." in term:
            at, n = term.index("..."), len(shape) - len(named)
            ellipses.append(tuple(shape[at : at + n]))
            named_axes.append(list(zip(named, shape[:at] + shape[at + n :], strict=True)))
        else:
            named_axes.append(list(zip(named, shape, strict=True)))
    try:
        ellipsis = np.broadcast_shapes(*ellipses) if ellipses else ()
    except ValueError:
        raise ValueError(
            f"einsum: the axes under '...' do not broadcast: {ellipses} (operand shapes "
            f"{list(shapes)}); matched from the right they must be equal or 1."
        ) from None
    used = {s for term in terms for s in term} | set(_terms(right, "the output"))
    spare = [s for s in _LETTERS if s not in used]
    if len(spare) < len(ellipsis):
        raise ValueError(f"einsum: '{subscripts}' uses too many letters to spell out '...'.")
    broadcast = "".join(spare[: len(ellipsis)])
    sizes = dict(zip(broadcast, ellipsis, strict=True))
    owner: dict[str, int] = {}
    for k, axes in enumerate(named_axes):
        mine: dict[str, int] = {}
        for letter, length in axes:
            if mine.setdefault(letter, length) != length:
                raise ValueError(
                    f"einsum: operand {k} (shape {shapes[k]}) repeats subscript '{letter}' "
                    f"on axes of lengths {mine[letter]} and {length}; a repeated letter (a "
                    "diagonal) needs equal lengths."
                )
            known = sizes.get(letter)
            if known is None or known == 1:
                owner.setdefault(letter, k)
                sizes[letter] = length if known is None else max(known, length)
            elif length not in (1, known):
                j = owner[letter]
                raise ValueError(
                    f"einsum: subscript '{letter}' has length {known} in operand {j} (shape "
                    f"{shapes[j]}) and {length} in operand {k} (shape {shapes[k]}); axes "
                    "with the same letter need equal lengths (or 1)."
                )

    def spelled(term: list[str], n: int) -> str:
        own = broadcast[len(broadcast) - n :] if n else ""
        return "".join(own if s == "..." else s for s in term)

    inputs = [
        spelled(term, len(e)) if "..." in term else "".join(term)
        for term, e in zip(terms, _each_ellipsis(terms, ellipses), strict=True)
    ]
    if arrow:
        output = _terms(right, "the output")
        for letter in output:
            if letter != "..." and letter not in sizes:
                raise ValueError(
                    f"einsum: output subscript '{letter}' appears in no operand "
                    f"('{subscripts}'); the output can only keep letters of the inputs."
                )
            if output.count(letter) > 1:
                raise ValueError(f"einsum: output subscript '{letter}' appears twice.")
        out = spelled(output, len(broadcast))
    else:
        counts: dict[str, int] = {}
        for term in terms:
            for s in term:
                counts[s] = counts.get(s, 0) + 1
        out = broadcast + "".join(sorted(s for s, n in counts.items() if n == 1 and s != "..."))
    return Spec(inputs, out, sizes)


def _each_ellipsis(terms: list[list[str]], ellipses: list[tuple[int, ...]]) -> list[Any]:
    """Each term's broadcast shape (or () for a term without '...'), in term order."""
    found = iter(ellipses)
    return [next(found) if "..." in term else () for term in terms]


def _forward(*operands: Any, spec: Spec, optimize: Any) -> Any:
    return np.einsum(spec.text(), *operands, optimize=optimize)


def _operand_vjp(k: int) -> Any:
    def vjp(g: Any, y: Any, *operands: Any, spec: Spec, optimize: Any) -> Any:
        term = spec.inputs[k]
        used = set(spec.text())
        fresh = iter(s for s in _LETTERS if s not in used)
        terms = [spec.output] + [t for j, t in enumerate(spec.inputs) if j != k]
        args: list[Any] = [g] + [op for j, op in enumerate(operands) if j != k]
        dtype = np.result_type(unwrap(g))
        target = ""
        for i, letter in enumerate(term):
            if letter in term[:i]:  # a repeated letter: its gradient lies on the diagonal
                other = next(fresh)
                terms.append(letter + other)
                args.append(np.eye(spec.sizes[letter], dtype=dtype))
                target += other
            else:
                target += letter
        # The length each letter has in the arrays above (1 where only broadcast there)
        supplied = {letter: spec.sizes[letter] for letter in spec.output}
        for t, op in zip(terms[1:], args[1:], strict=True):
            for letter, n in zip(t, np.shape(unwrap(op)), strict=True):
                supplied[letter] = max(supplied.get(letter, 0), n)
        for letter, n in dict(zip(term, np.shape(unwrap(operands[k])), strict=True)).items():
            if supplied.get(letter, 0) < n:  # summed inside this operand, or broadcast
                terms.append(letter)
                args.append(np.ones(n, dtype=dtype))
        sub = ",".join(terms) + "->" + target
        return einsum(sub, *args, optimize="greedy" if len(args) > 2 else False)

    return vjp


def _joint(g: Any, y: Any, *operands: Any, spec: Spec, optimize: Any) -> list[Any]:
    return [_operand_vjp(k)(g, y, *operands, spec=spec, optimize=optimize)
            for k in range(len(operands))]  # fmt: skip


_einsum = defop(
    "einsum",
    _forward,
    _joint,
    joint=True,
    rules="vjp: g contracted with the other operands (one more einsum)",
)


def einsum(*operands: Any, optimize: Any = False) -> Tensor:
    """Primitive: NumPy's einsum on Tensors, arrays and numbers, differentiable in every
    operand (see the module docstring for the subscripts accepted and the vjp).
    `optimize` is passed to NumPy (False by default, as in NumPy; True or "greedy" let
    it contract pairwise with BLAS)."""
    if not operands:
        raise TypeError("einsum: give subscripts and at least one operand.")
    if isinstance(operands[0], str):
        subscripts, arrays = operands[0], list(operands[1:])
    else:
        subscripts, arrays = _from_sublists(operands)
    shapes = [np.shape(unwrap(a)) for a in arrays]
    spec = parse(subscripts, shapes)
    return _einsum(*arrays, spec=spec, optimize=optimize)


def _axes_pair(axes: Any, na: int, nb: int) -> tuple[list[int], list[int]]:
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        if n < 0 or n > min(na, nb):
            raise ValueError(
                f"tensordot: axes={n} is more than the operands have ({na} and {nb} axes)."
            )
        return list(range(na - n, na)), list(range(n))
    try:
        first, second = axes
    except (TypeError, ValueError):
        raise ValueError(
            f"tensordot: axes must be an int or a pair of axis lists; got {axes!r}."
        ) from None
    first = [first] if isinstance(first, (int, np.integer)) else list(first)
    second = [second] if isinstance(second, (int, np.integer)) else list(second)
    if len(first) != len(second):
        raise ValueError(f"tensordot: axes {first} and {second} must be lists of the same length.")
    return [int(a) % na if na else 0 for a in first], [int(b) % nb if nb else 0 for b in second]


def tensordot(a: Any, b: Any, axes: Any = 2) -> Tensor:
    """Composition (one einsum): the sum over the last `axes` axes of a and the first of b
    (an int), or over the given pairs of axes; the remaining axes of a, then of b."""
    na, nb = np.ndim(unwrap(a)), np.ndim(unwrap(b))
    first, second = _axes_pair(axes, na, nb)
    letters = iter(_LETTERS)
    ta = [next(letters) for _ in range(na)]
    tb = [next(letters) for _ in range(nb)]
    for i, j in zip(first, second, strict=True):
        tb[j] = ta[i]
    out = [s for i, s in enumerate(ta) if i not in first] + [
        s for j, s in enumerate(tb) if j not in second
    ]
    return einsum(f"{''.join(ta)},{''.join(tb)}->{''.join(out)}", a, b, optimize="greedy")


def dot(a: Any, b: Any) -> Tensor:
    """Composition, NumPy's dot: a product with a 0-d operand (multiply), matmul when b
    has at most 2 axes (vectors, matrices, a stack of rows times a matrix), else the sum
    over a's last axis and b's second-to-last (tensordot)."""
    na, nb = np.ndim(unwrap(a)), np.ndim(unwrap(b))
    if na == 0 or nb == 0:
        return multiply(a, b)
    if nb <= 2:
        return matmul(a, b)
    return tensordot(a, b, axes=([na - 1], [nb - 2]))


def inner(a: Any, b: Any) -> Tensor:
    """Composition: the sum over the last axes of a and b (multiply for a 0-d operand)."""
    na, nb = np.ndim(unwrap(a)), np.ndim(unwrap(b))
    if na == 0 or nb == 0:
        return multiply(a, b)
    return tensordot(a, b, axes=([na - 1], [nb - 1]))


def outer(a: Any, b: Any) -> Tensor:
    """Composition: a and b flattened, out[i, j] = a[i] * b[j]."""
    return multiply(reshape(a, (-1, 1)), reshape(b, (1, -1)))


def vdot(a: Any, b: Any) -> Tensor:
    """Composition: the sum of a * b over all elements, both flattened (real vdot)."""
    return tensordot(reshape(a, -1), reshape(b, -1), axes=1)


def kron(a: Any, b: Any) -> Tensor:
    """Composition (reshape, multiply, reshape): the Kronecker product, blocks a[i, j] * b;
    the shorter shape is padded with 1s on the left, as in NumPy."""
    sa, sb = np.shape(unwrap(a)), np.shape(unwrap(b))
    nd = max(len(sa), len(sb))
    sa, sb = (1,) * (nd - len(sa)) + sa, (1,) * (nd - len(sb)) + sb
    ea = tuple(n for pair in zip(sa, (1,) * nd, strict=True) for n in pair)
    eb = tuple(n for pair in zip((1,) * nd, sb, strict=True) for n in pair)
    product = multiply(reshape(a, ea), reshape(b, eb))
    return reshape(product, tuple(x * y for x, y in zip(sa, sb, strict=True)))
