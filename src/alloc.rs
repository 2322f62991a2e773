//! The memory allocator of every binary built on this crate (the CLI, its examples and tests).
//!
//! Files are parsed on worker threads and their records are freed on the thread that merges
//! them into the model: glibc's malloc serves that pattern slowly (merging took 100 ms of a
//! 10k-file run, 43 ms with jemalloc; the whole run 0.38 s against 0.31 s, BENCHMARKS.md).
//! Where jemalloc does not build (Windows, some targets), the system allocator is used, and
//! so it is without the `jemalloc` feature (on by default; the fuzz targets turn it off, as
//! AddressSanitizer checks the heap through the system allocator).

#[cfg(all(
    feature = "jemalloc",
    not(target_os = "windows"),
    not(target_os = "openbsd"),
    not(target_os = "aix"),
    not(target_os = "android"),
    any(
        target_arch = "x86_64",
        target_arch = "aarch64",
        target_arch = "powerpc64",
        target_arch = "riscv64"
    )
))]
mod jemalloc {
    #[global_allocator]
    static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

    /// jemalloc's options, read by the allocator itself at its first call (its documented
    /// compile-time `malloc_conf` string, NUL-terminated). Two arenas instead of four per core:
    /// a run has two busy threads, and every extra arena keeps its own freed pages (about 3 MiB
    /// of a 10k run's peak).
    #[used]
    #[export_name = "_rjem_malloc_conf"]
    static MALLOC_CONF: &[u8; 10] = b"narenas:2\0";
}
