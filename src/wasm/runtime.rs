//! What std would provide to the package's wasm, which is built without it (feature `package`): the
//! allocator and what a panic does.
//!
//! A panic traps (`unreachable`) instead of formatting a message: std's panic machinery and the
//! `core::fmt` code it pulls in were about a tenth of the module, for a path no input may reach (the
//! fuzz stage runs every parser and decision on hostile input natively, where a panic fails the test).
//!
//! The allocator is lol_alloc's free list (sorted, coalescing), 5 KB smaller than dlmalloc. It suits
//! how the module allocates: a few long-lived objects (policies, states, profiles) and, per call, a
//! short string or two that are freed before the call returns, so the list stays a few nodes long.
//! The soak stage checks that memory stays flat over millions of calls.

// NOTE: the lock is never contended (wasm here has one thread); it only makes the allocator `Sync`
// without `unsafe`.
#[global_allocator]
static ALLOCATOR: lol_alloc::LockedAllocator<lol_alloc::FreeListAllocator> =
    lol_alloc::LockedAllocator::new(lol_alloc::FreeListAllocator::new());

#[panic_handler]
fn on_panic(_info: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
