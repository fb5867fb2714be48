//! How urgent the question being sent is: a hint the browser transport passes on as fetch
//! priority.
//!
//! Over HTTP/1.1 a browser opens at most six connections to one host and queues the rest; at
//! one priority the queue is first come, first served, so forty one-step questions (DKIM's
//! common selectors, SRV names) asked at the start hold back the second step of the deep chains
//! (MX → host → PTR → name; SPF's include levels), and the check takes many round trips more
//! than its depth. Questions on the long chains are sent at high priority and the rest at low,
//! so the queue serves the critical path first. Over HTTP/2 nothing queues and it changes
//! nothing.
//!
//! The hint travels beside the call, not through it: [`with_priority`] sets it while the
//! wrapped future is polled, and a transport reads [`current`] when it starts a request (which
//! happens inside that poll; all of this runs on one thread).

use core::cell::Cell;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

/// Request priority.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Priority {
    /// On the check's longest chain of dependent questions (the default).
    #[default]
    High,
    /// A leaf: nothing waits for its answer before asking more.
    Low,
}

std::thread_local! {
    static CURRENT: Cell<Priority> = const { Cell::new(Priority::High) };
}

/// The priority of the question being polled now.
pub fn current() -> Priority {
    CURRENT.with(Cell::get)
}

/// `future`, with [`current`] saying `priority` whenever it is polled.
pub fn with_priority<F: Future>(priority: Priority, future: F) -> WithPriority<F> {
    WithPriority {
        future: Box::pin(future),
        priority,
    }
}

/// See [`with_priority`].
pub struct WithPriority<F> {
    future: Pin<Box<F>>,
    priority: Priority,
}

impl<F: Future> Future for WithPriority<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let priority = self.priority;
        let before = CURRENT.with(|c| c.replace(priority));
        let out = self.future.as_mut().poll(cx);
        CURRENT.with(|c| c.set(before));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hint_holds_while_polled_and_is_restored() {
        assert_eq!(current(), Priority::High);
        let seen = crate::join::now(with_priority(Priority::Low, async { current() }));
        assert_eq!(seen, Priority::Low);
        assert_eq!(current(), Priority::High);
        let nested = crate::join::now(with_priority(
            Priority::Low,
            with_priority(Priority::High, async { current() }),
        ));
        assert_eq!(nested, Priority::High);
    }
}
