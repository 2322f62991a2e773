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
/// of a 10k run's peak). A thread cache's garbage collection every 4 MiB a thread allocates
/// instead of every 64 KiB: in a one-file run, whose threads each allocate a few MiB and
/// end, the collections were 1.1 M of 31 M instructions (3.5 %); on the 1k corpus they cost
/// 3.6 M more than this (771 against 767 M), and a 10k run's peak did not rise (BENCHMARKS.md,
/// "One-file runs").
#[cfg(jemalloc_allocator)]
#[used]
#[export_name = "_rjem_malloc_conf"]
static MALLOC_CONF: &[u8; 39] = b"narenas:2,tcache_gc_incr_bytes:4194304\0";
