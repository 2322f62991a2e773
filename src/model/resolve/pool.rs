//! How resolution runs its read-only passes: on the run's rayon pool when there is one.

/// `f` over `0..n`, in order: in parallel when running on a rayon pool (a run over many
/// files), on the calling thread otherwise (a one-file run starts no pool).
pub(super) fn map_range<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync + Send) -> Vec<T> {
    if rayon::current_thread_index().is_some() {
        use rayon::prelude::*;
        (0..n).into_par_iter().map(f).collect()
    } else {
        (0..n).map(f).collect()
    }
}

/// `a` and `b`, side by side when running on a rayon pool, one after the other otherwise.
pub(super) fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if rayon::current_thread_index().is_some() {
        rayon::join(a, b)
    } else {
        (a(), b())
    }
}
