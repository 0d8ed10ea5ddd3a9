"""`ops.linalg`: NumPy's numpy.linalg on Tensors, and the matrix product.

- `products.py`: matmul, and `affine` (x @ W^T + b, the fully connected layer), both
  also importable from `ops`;
- `inverse.py`: inv det slogdet solve pinv (primitives), matrix_power (composition);
- `decompositions.py`: cholesky eigh eigvalsh svd svdvals qr (primitives; eigh, svd and
  qr return tuples read off one packed output, see its docstring);
- `norms.py`: norm (np.linalg.norm, a composition; also `ops.norm`), and NumPy 2's
  vector_norm and matrix_norm.

Results with several parts are NumPy's named tuples: `EighResult(eigenvalues,
eigenvectors)`, `SVDResult(U, S, Vh)`, `QRResult(Q, R)`, `SlogdetResult(sign,
logabsdet)`. Singular or indefinite matrices raise numpy.linalg.LinAlgError naming the op.
"""

from .decompositions import (
    EighResult,
    QRResult,
    SVDResult,
    cholesky,
    eigh,
    eigvalsh,
    qr,
    svd,
    svdvals,
)
from .inverse import SlogdetResult, det, inv, matrix_power, pinv, slogdet, solve
from .norms import matrix_norm, norm, vector_norm
from .products import affine, matmul

__all__ = [
    "EighResult",
    "QRResult",
    "SVDResult",
    "SlogdetResult",
    "affine",
    "cholesky",
    "det",
    "eigh",
    "eigvalsh",
    "inv",
    "matmul",
    "matrix_norm",
    "matrix_power",
    "norm",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "svd",
    "svdvals",
    "vector_norm",
]
