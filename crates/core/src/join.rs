//! Running independent futures together on one thread, with no runtime: [`join_all`] for many
//! of one kind, [`join`] for two of different kinds. This is how every question that does not
//! depend on another is in flight at the same time, in the browser (whose event loop drives the
//! futures) and in the CLI alike.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

/// Polls every future until all are done; the outputs come back in the order given.
pub fn join_all<F: Future>(futures: impl IntoIterator<Item = F>) -> JoinAll<F> {
    let futures: Vec<_> = futures.into_iter().map(|f| Some(Box::pin(f))).collect();
    let outputs = futures.iter().map(|_| None).collect();
    JoinAll { futures, outputs }
}

/// The future [`join_all`] returns.
pub struct JoinAll<F: Future> {
    futures: Vec<Option<Pin<Box<F>>>>,
    outputs: Vec<Option<F::Output>>,
}

// Every future is boxed, so moving the JoinAll never moves them.
impl<F: Future> Unpin for JoinAll<F> {}

impl<F: Future> Future for JoinAll<F> {
    type Output = Vec<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        for (slot, output) in this.futures.iter_mut().zip(this.outputs.iter_mut()) {
            if let Some(future) = slot
                && let Poll::Ready(value) = future.as_mut().poll(cx)
            {
                *output = Some(value);
                *slot = None;
            }
        }
        if this.futures.iter().any(Option::is_some) {
            return Poll::Pending;
        }
        Poll::Ready(this.outputs.iter_mut().filter_map(Option::take).collect())
    }
}

/// Polls both futures until both are done.
pub fn join<A: Future, B: Future>(a: A, b: B) -> Join<A, B> {
    Join {
        a: Box::pin(a),
        b: Box::pin(b),
        out_a: None,
        out_b: None,
    }
}

/// The future [`join`] returns.
pub struct Join<A: Future, B: Future> {
    a: Pin<Box<A>>,
    b: Pin<Box<B>>,
    out_a: Option<A::Output>,
    out_b: Option<B::Output>,
}

// Both futures are boxed, so moving the Join never moves them.
impl<A: Future, B: Future> Unpin for Join<A, B> {}

impl<A: Future, B: Future> Future for Join<A, B> {
    type Output = (A::Output, B::Output);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        if this.out_a.is_none()
            && let Poll::Ready(a) = this.a.as_mut().poll(cx)
        {
            this.out_a = Some(a);
        }
        if this.out_b.is_none()
            && let Poll::Ready(b) = this.b.as_mut().poll(cx)
        {
            this.out_b = Some(b);
        }
        match (this.out_a.take(), this.out_b.take()) {
            (Some(a), Some(b)) => Poll::Ready((a, b)),
            (a, b) => {
                this.out_a = a;
                this.out_b = b;
                Poll::Pending
            }
        }
    }
}

/// Polls a future that never waits (in-memory resolvers) to its end; for tests.
/// An in-memory zone behind a one-check cache, and a clock that never moves: what engine tests
/// run against, with [`now`] to drive them.
#[cfg(test)]
pub(crate) fn zone_cache(
    zone: &str,
) -> crate::dns::cache::Cache<crate::dns::resolver::ZoneResolver, StoppedClock> {
    crate::dns::cache::Cache::new(
        crate::dns::resolver::ZoneResolver::from_zone_text(zone, "zone").expect("test zone reads"),
        StoppedClock,
        crate::dns::cache::Lifetime::Session,
    )
}

/// A clock at 0 ms.
#[cfg(test)]
pub(crate) struct StoppedClock;

#[cfg(test)]
impl crate::dns::doh::Clock for StoppedClock {
    fn now_ms(&self) -> f64 {
        0.0
    }
}

#[cfg(test)]
pub(crate) fn now<F: Future>(future: F) -> F::Output {
    let mut future = core::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(core::task::Waker::noop()))
    {
        Poll::Ready(out) => out,
        Poll::Pending => panic!("an in-memory future should finish at once"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::task::Waker;

    /// Ready after `n` polls, logging each poll.
    struct After<'a>(u32, &'a core::cell::RefCell<Vec<u32>>, u32);
    impl Future for After<'_> {
        type Output = u32;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
            self.1.borrow_mut().push(self.2);
            if self.0 == 0 {
                return Poll::Ready(self.2);
            }
            self.0 -= 1;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }

    #[test]
    fn all_run_together_and_keep_their_order() {
        let log = core::cell::RefCell::new(Vec::new());
        let mut joined = join_all([After(2, &log, 10), After(0, &log, 20), After(1, &log, 30)]);
        let mut cx = Context::from_waker(Waker::noop());
        let mut polls = 0;
        let out = loop {
            polls += 1;
            if let Poll::Ready(out) = Pin::new(&mut joined).poll(&mut cx) {
                break out;
            }
        };
        assert_eq!(out, [10, 20, 30]);
        assert_eq!(polls, 3, "the slowest decides, not the sum");
        assert_eq!(
            &log.borrow()[..3],
            &[10, 20, 30],
            "all started in the first poll"
        );
    }

    #[test]
    fn two_futures_of_different_kinds_run_together() {
        let log = core::cell::RefCell::new(Vec::new());
        let mut joined = join(After(1, &log, 1), async { "b" });
        let mut cx = Context::from_waker(Waker::noop());
        assert!(Pin::new(&mut joined).poll(&mut cx).is_pending());
        assert_eq!(Pin::new(&mut joined).poll(&mut cx), Poll::Ready((1, "b")));
        assert_eq!(
            *log.borrow(),
            [1, 1],
            "the finished one is not polled again"
        );
    }

    #[test]
    fn nothing_to_join_is_ready_at_once() {
        let mut joined = join_all(Vec::<core::future::Ready<u8>>::new());
        let mut cx = Context::from_waker(Waker::noop());
        assert_eq!(Pin::new(&mut joined).poll(&mut cx), Poll::Ready(vec![]));
    }
}
