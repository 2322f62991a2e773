//! The memory allocator of the `bridgelint` binary (and of the benchmark's parse floor, which
//! includes this file so that both are measured with the same allocator). The library leaves
//! the allocator to the program that links it.
//!
//! Files are parsed on worker threads and their records are freed on the thread that merges
//! them into the model: glibc's malloc serves that pattern slowly (merging took 100 ms of a
//! 10k-file run, 43 ms with jemalloc; the whole run 0.38 s against 0.31 s, BENCHMARKS.md).
//!
//! The platforms where jemalloc builds are listed once, in Cargo.toml's target table for
//! `tikv-jemallocator`; `build.rs` sets `cfg(jemalloc_allocator)` when that dependency was
//! built (with the `jemalloc` feature, on by default; the fuzz targets turn it off, as
//! AddressSanitizer checks the heap through the system allocator). Elsewhere the system
//! allocator is used.

#[cfg(jemalloc_allocator)]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read by the allocator itself at its first call (its documented
/// compile-time `malloc_conf` string, NUL-terminated). Two arenas instead of four per core:
/// a run has two busy threads, and every extra arena keeps its own freed pages (about 3 MiB
/// of a 10k run's peak).
#[cfg(jemalloc_allocator)]
#[used]
#[export_name = "_rjem_malloc_conf"]
static MALLOC_CONF: &[u8; 10] = b"narenas:2\0";
