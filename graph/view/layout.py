"""A force-directed layout that scales to thousands of nodes, computed before the page opens.

vis-network's in-browser physics is pleasant for a few hundred nodes but does not settle on a
5,000-node graph in minutes, and networkx's layouts are quadratic (``spring_layout`` needs SciPy
past 500 nodes, ``forceatlas2_layout`` builds an n×n matrix per iteration). This is
Fruchterman–Reingold with the repulsion computed the way particle simulations do it (particle–mesh): node masses are binned on a grid and convolved with the k²/d force kernel by
FFT, so an iteration costs O(grid² log grid + n + edges) in numpy instead of O(n²). Nodes sharing
one grid cell do not push each other, which a cell a third of the node spacing wide makes rare.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from functools import cache

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
ComplexArray = npt.NDArray[np.complex128]

#: cells per side of the mesh the repulsion is computed on
MESH = 256


@cache
def _kernel_fft(mesh: int) -> ComplexArray:
    """FFT of the unit repulsion kernel r/|r|² (x as real part, y as imaginary) over a 2·mesh torus."""
    offsets = np.fft.fftfreq(2 * mesh, d=1.0 / (2 * mesh))
    dx, dy = np.meshgrid(offsets, offsets, indexing="ij")
    r2 = dx * dx + dy * dy
    r2[0, 0] = 1.0
    kernel = (dx + 1j * dy) / r2
    kernel[0, 0] = 0.0
    result: ComplexArray = np.fft.fft2(kernel)
    return result


def _repulsion(pos: FloatArray, k: float, mesh: int = MESH, mass: FloatArray | None = None) -> FloatArray:
    """Repulsive displacement k²·m/d on every node from every other of mass m, by particle–mesh convolution."""
    low = pos.min(axis=0)
    span = float(max(np.ptp(pos[:, 0]), np.ptp(pos[:, 1]), 1e-9)) * 1.0001
    h = span / mesh
    cells = np.minimum(((pos - low) / h).astype(np.int64), mesh - 1)
    density = np.zeros((2 * mesh, 2 * mesh))
    np.add.at(density, (cells[:, 0], cells[:, 1]), 1.0 if mass is None else mass)
    field = np.fft.ifft2(np.fft.fft2(density) * _kernel_fft(mesh))[:mesh, :mesh]
    at_nodes = field[cells[:, 0], cells[:, 1]] * (k * k / h)
    return np.stack([at_nodes.real, at_nodes.imag], axis=1)


def _near_pairs(pos: FloatArray, cell: float) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Every pair (i < j) of nodes in the same or adjacent grid cells of side ``cell``, vectorised."""
    keys_xy = np.floor(pos / cell).astype(np.int64)
    keys_xy -= keys_xy.min(axis=0)
    width = int(keys_xy[:, 1].max()) + 3
    keys = keys_xy[:, 0] * width + keys_xy[:, 1]
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    firsts: list[npt.NDArray[np.int64]] = []
    seconds: list[npt.NDArray[np.int64]] = []
    for dx, dy in ((0, 0), (0, 1), (1, -1), (1, 0), (1, 1)):
        target = keys + dx * width + dy
        lo = np.searchsorted(sorted_keys, target, side="left")
        hi = np.searchsorted(sorted_keys, target, side="right")
        counts = hi - lo
        first = np.repeat(np.arange(len(pos)), counts)
        offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
        second = order[np.repeat(lo, counts) + offsets]
        keep = first < second if (dx, dy) == (0, 0) else np.ones(len(first), dtype=bool)
        firsts.append(first[keep])
        seconds.append(second[keep])
    return np.concatenate(firsts), np.concatenate(seconds)


def _separate(pos: FloatArray, radius: FloatArray, passes: int = 30, gap: float = 2.0) -> None:
    """Push overlapping nodes apart in place (as Gephi's "noverlap" does), looking only at nearby pairs."""
    cell = 2 * float(radius.max()) + gap
    n = len(pos)
    for _ in range(passes):
        first, second = _near_pairs(pos, cell)
        delta = pos[first] - pos[second]
        dist = np.sqrt((delta**2).sum(axis=1))
        need = radius[first] + radius[second] + gap
        overlap = dist < need
        if not overlap.any():
            return
        first, second, delta, dist, need = first[overlap], second[overlap], delta[overlap], dist[overlap], need[overlap]
        direction = np.where((dist > 1e-6)[:, None], delta / np.maximum(dist, 1e-6)[:, None], np.array([1.0, 0.0]))
        push = direction * ((need - dist) / 2)[:, None]
        for d in (0, 1):
            pos[:, d] += np.bincount(first, weights=push[:, d], minlength=n)
            pos[:, d] -= np.bincount(second, weights=push[:, d], minlength=n)


def spread_layout(
    nodes: Sequence[Hashable],
    edges: Sequence[tuple[Hashable, Hashable]],
    *,
    spacing: float = 90.0,
    iterations: int = 100,
    seed: int = 1,
    mass: Sequence[float] | None = None,
    radius: Sequence[float] | None = None,
) -> dict[Hashable, tuple[float, float]]:
    """Positions in vis-network pixels, centred on 0, for ``nodes``; the same input gives the same layout."""
    n = len(nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.array([(index[u], index[v]) for u, v in edges if u != v], dtype=np.int64).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    side = spacing * math.sqrt(n)
    pos = (rng.random((n, 2)) - 0.5) * side
    k = spacing
    # gravity balancing the push of all n nodes at the rim of a disc of the expected size
    gravity = n * k * k / (side / 2) ** 2
    start_temperature = side / 10
    weight = None if mass is None else np.asarray(mass, dtype=np.float64) / float(np.mean(mass))
    for step in range(iterations):
        disp = _repulsion(pos, k, mass=weight) if n > 1 else np.zeros_like(pos)
        if weight is not None:
            disp *= weight[:, None]
        if len(pairs):
            delta = pos[pairs[:, 0]] - pos[pairs[:, 1]]
            pull = delta * (np.sqrt((delta**2).sum(axis=1)) / k)[:, None]
            for d in (0, 1):
                disp[:, d] -= np.bincount(pairs[:, 0], weights=pull[:, d], minlength=n)
                disp[:, d] += np.bincount(pairs[:, 1], weights=pull[:, d], minlength=n)
        disp -= pos * gravity
        temperature = max(start_temperature * (1 - step / iterations), k / 10)
        length = np.maximum(np.sqrt((disp**2).sum(axis=1)), 1e-9)
        pos += disp / length[:, None] * np.minimum(length, temperature)[:, None]
    pos -= pos.mean(axis=0)
    # the springs of a dense graph pull it tighter than the node spacing: scale it back out so that
    # the disc holding 90 % of the nodes gives each of them a spacing-sized square
    spread = float(np.percentile(np.sqrt((pos**2).sum(axis=1)), 90)) if n > 1 else 0.0
    if spread > 0:
        pos *= spacing * math.sqrt(0.9 * n / math.pi) / spread
    if radius is not None and n > 1:
        _separate(pos, np.asarray(radius, dtype=np.float64))
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(nodes, pos, strict=True)}
