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
//!
//! Fetch priority is only a hint, and Chromium still serves its HTTP/1.1 queue mostly in
//! arrival order; a [`Gate`] per resolver keeps the queue in the page instead: at most six
//! requests are handed to the browser at once, high priority first, so the browser never has
//! to choose.

use core::cell::{Cell, RefCell};
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::collections::VecDeque;
use std::rc::Rc;

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

/// Places under a [`Gate`]'s limit that only high-priority requests may take.
pub const RESERVED: usize = 2;

/// A queue in front of one HTTP origin: at most `limit` requests out at once (no limit until
/// one is set), and when one ends the next goes to the oldest high-priority waiter, then the
/// oldest low-priority one; low priority never takes the last [`RESERVED`] places. Single-
/// threaded, like everything that polls it.
#[derive(Clone, Default)]
pub struct Gate(Rc<RefCell<GateState>>);

#[derive(Default)]
struct GateState {
    limit: Option<usize>,
    out: usize,
    next_ticket: u64,
    waiting: VecDeque<Waiter>,
    most_out: usize,
}

struct Waiter {
    ticket: u64,
    priority: Priority,
    waker: Option<Waker>,
    /// Let through: counted in `out`, waiting only to be polled.
    admitted: bool,
}

impl GateState {
    /// Whether a request at `priority` may go now. Low priority leaves [`RESERVED`] places
    /// free for high: the next step of a chain is asked the moment its answer arrives, and a
    /// place it would wait for is already taken by a leaf the instant one frees.
    fn has_room(&self, priority: Priority) -> bool {
        self.limit.is_none_or(|limit| match priority {
            Priority::High => self.out < limit,
            Priority::Low => self.out + RESERVED.min(limit - 1) < limit,
        })
    }

    /// Lets waiters through while there is room, high priority first, oldest first.
    fn admit(&mut self) {
        loop {
            let next = self
                .waiting
                .iter()
                .enumerate()
                .filter(|(_, w)| !w.admitted)
                .min_by_key(|(_, w)| (w.priority == Priority::Low, w.ticket))
                .map(|(at, w)| (at, w.priority));
            let Some((at, priority)) = next else { return };
            if !self.has_room(priority) {
                return;
            }
            let waiter = &mut self.waiting[at];
            waiter.admitted = true;
            if let Some(waker) = waiter.waker.take() {
                waker.wake();
            }
            self.out += 1;
            self.most_out = self.most_out.max(self.out);
        }
    }
}

impl Gate {
    /// A gate with no limit.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the most requests out at once (`None`: no limit); waiters are let through at once
    /// if the new limit has room.
    pub fn set_limit(&self, limit: Option<usize>) {
        let mut state = self.0.borrow_mut();
        state.limit = limit.map(|l| l.max(1));
        state.admit();
    }

    /// The limit in force.
    pub fn limit(&self) -> Option<usize> {
        self.0.borrow().limit
    }

    /// Requests out now, and the most there have been at once.
    pub fn out(&self) -> (usize, usize) {
        let state = self.0.borrow();
        (state.out, state.most_out)
    }

    /// Waits for a turn at `priority`; the request may go while the returned [`Pass`] lives.
    pub fn enter(&self, priority: Priority) -> Enter {
        let mut state = self.0.borrow_mut();
        let ticket = state.next_ticket;
        state.next_ticket += 1;
        state.waiting.push_back(Waiter {
            ticket,
            priority,
            waker: None,
            admitted: false,
        });
        // Nobody who was here first is passed over: admit() picks by priority and age.
        state.admit();
        drop(state);
        Enter {
            gate: self.clone(),
            ticket: Some(ticket),
        }
    }
}

/// The future [`Gate::enter`] returns. Dropping it gives up the place (or the turn).
pub struct Enter {
    gate: Gate,
    ticket: Option<u64>,
}

impl Future for Enter {
    type Output = Pass;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Pass> {
        let Some(ticket) = self.ticket else {
            return Poll::Pending;
        };
        let mut state = self.gate.0.borrow_mut();
        let Some(at) = state.waiting.iter().position(|w| w.ticket == ticket) else {
            return Poll::Pending;
        };
        if state.waiting[at].admitted {
            state.waiting.remove(at);
            drop(state);
            self.ticket = None;
            return Poll::Ready(Pass(self.gate.clone()));
        }
        state.waiting[at].waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

impl Drop for Enter {
    fn drop(&mut self) {
        let Some(ticket) = self.ticket else { return };
        let mut state = self.gate.0.borrow_mut();
        if let Some(at) = state.waiting.iter().position(|w| w.ticket == ticket)
            && let Some(waiter) = state.waiting.remove(at)
            && waiter.admitted
        {
            // Let through but never used: the turn goes to the next.
            state.out -= 1;
            state.admit();
        }
    }
}

/// A turn through a [`Gate`]; the next waiter goes when it is dropped.
pub struct Pass(Gate);

impl Drop for Pass {
    fn drop(&mut self) {
        let mut state = self.0.0.borrow_mut();
        state.out = state.out.saturating_sub(1);
        state.admit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn poll<F: Future + Unpin>(future: &mut F) -> Poll<F::Output> {
        Pin::new(future).poll(&mut Context::from_waker(Waker::noop()))
    }

    #[test]
    fn without_a_limit_everyone_goes_at_once() {
        let gate = Gate::new();
        let mut a = gate.enter(Priority::Low);
        let mut b = gate.enter(Priority::High);
        let (pa, pb) = (poll(&mut a), poll(&mut b));
        assert!(pa.is_ready() && pb.is_ready());
        assert_eq!(gate.out(), (2, 2));
        drop((pa, pb));
        assert_eq!(gate.out(), (0, 2));
    }

    #[test]
    fn high_priority_waiters_go_first_then_the_oldest() {
        let gate = Gate::new();
        gate.set_limit(Some(1));
        let mut first = gate.enter(Priority::Low);
        let Poll::Ready(pass) = poll(&mut first) else {
            panic!("the first goes at once")
        };
        let mut low1 = gate.enter(Priority::Low);
        let mut high1 = gate.enter(Priority::High);
        let mut low2 = gate.enter(Priority::Low);
        let mut high2 = gate.enter(Priority::High);
        for waiting in [&mut low1, &mut high1, &mut low2, &mut high2] {
            assert!(poll(waiting).is_pending());
        }
        let mut queue = vec![
            ("low1", low1),
            ("high1", high1),
            ("low2", low2),
            ("high2", high2),
        ];
        let mut order = Vec::new();
        let mut pass = pass;
        while !queue.is_empty() {
            drop(pass);
            let mut next = None;
            for (i, (name, waiting)) in queue.iter_mut().enumerate() {
                if let Poll::Ready(p) = poll(waiting) {
                    assert!(next.is_none(), "one at a time");
                    next = Some((i, *name, p));
                }
            }
            let (i, name, p) = next.expect("someone is let through");
            queue.remove(i);
            order.push(name);
            pass = p;
        }
        assert_eq!(order, ["high1", "high2", "low1", "low2"]);
        assert_eq!(gate.out().1, 1);
    }

    #[test]
    fn low_priority_leaves_places_for_high() {
        let gate = Gate::new();
        gate.set_limit(Some(6));
        // `n` waiters at `priority`, and the passes of those let through at once.
        let enter = |priority, n| -> (Vec<Enter>, Vec<Pass>) {
            let mut waiting: Vec<_> = (0..n).map(|_| gate.enter(priority)).collect();
            let passes = waiting
                .iter_mut()
                .filter_map(|e| match poll(e) {
                    Poll::Ready(p) => Some(p),
                    Poll::Pending => None,
                })
                .collect();
            (waiting, passes)
        };
        let (_low, low_passes) = enter(Priority::Low, 6);
        assert_eq!(low_passes.len(), 6 - RESERVED);
        let (_high, high_passes) = enter(Priority::High, 3);
        assert_eq!(
            high_passes.len(),
            RESERVED,
            "the reserved places go to high priority at once"
        );
        assert_eq!(gate.out().1, 6);
    }

    #[test]
    fn a_waiter_that_gives_up_passes_its_turn_on() {
        let gate = Gate::new();
        gate.set_limit(Some(1));
        let mut a = gate.enter(Priority::High);
        let pass = poll(&mut a);
        let b = gate.enter(Priority::High);
        let mut c = gate.enter(Priority::Low);
        drop(pass);
        // b was let through but is dropped unpolled: c gets the turn.
        drop(b);
        assert!(poll(&mut c).is_ready());
    }

    #[test]
    fn raising_the_limit_lets_waiters_through() {
        let gate = Gate::new();
        gate.set_limit(Some(1));
        let mut a = gate.enter(Priority::High);
        let mut b = gate.enter(Priority::High);
        let _pa = poll(&mut a);
        assert!(poll(&mut b).is_pending());
        gate.set_limit(None);
        assert!(poll(&mut b).is_ready());
    }

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
