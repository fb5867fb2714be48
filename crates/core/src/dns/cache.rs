//! [`Cache`]: answers remembered for their TTL, and identical questions asked at the same time
//! sharing one request. It wraps any [`Resolver`], so a whole check asks each (name, type) once
//! however many parts of it need the answer, and counts what it did ([`Stats`]) for progress
//! displays and benchmarks.
//!
//! What is kept and for how long (RFC 2308 for the negative answers):
//! - records: the smallest TTL in the answer section (CNAMEs included);
//! - no data and name-does-not-exist: the smaller of the SOA's TTL and its MINIMUM, from the
//!   authority section; without an SOA, not kept;
//! - SERVFAIL, REFUSED and transport failures: not kept, so asking again asks again.
//!
//! Answers served from memory say so (`cached`), with TTLs aged by the time they were kept.
//! [`Lifetime::Session`] keeps every answer for the life of the cache, whatever its TTL: for
//! one check that must never ask the same question twice.

use core::cell::{Cell, RefCell};
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::collections::HashMap;
use std::rc::Rc;

use super::doh::Clock;
use super::resolver::{Answered, Resolver, Unanswered};
use super::{Message, Name, RData, Rcode, RecordType, TransportError};

/// How long answers are kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lifetime {
    /// As long as their TTL says (and RFC 2308 for negative answers).
    Ttl,
    /// For the life of the cache.
    Session,
}

/// What a cache did so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Questions asked of the cache.
    pub asked: u32,
    /// Questions passed to the resolver underneath.
    pub sent: u32,
    /// Questions answered from memory.
    pub hits: u32,
    /// Questions that joined an identical question already in flight.
    pub shared: u32,
    /// Questions in flight now.
    pub in_flight: u32,
    /// The most questions in flight at once.
    pub max_in_flight: u32,
}

type Key = (Name, RecordType);
type Outcome = Result<Answered, Unanswered>;

struct Entry {
    answer: Answered,
    stored_ms: f64,
    /// `None`: kept for the session.
    expires_ms: Option<f64>,
}

#[derive(Default)]
struct Flight {
    result: RefCell<Option<Outcome>>,
    abandoned: Cell<bool>,
    wakers: RefCell<Vec<Waker>>,
}

impl Flight {
    fn wake_all(&self) {
        for waker in self.wakers.take() {
            waker.wake();
        }
    }
}

/// Remembers answers and shares identical questions in flight.
pub struct Cache<R, C> {
    inner: R,
    clock: C,
    lifetime: Lifetime,
    entries: RefCell<HashMap<Key, Entry>>,
    flights: RefCell<HashMap<Key, Rc<Flight>>>,
    stats: Cell<Stats>,
}

impl<R: Resolver, C: Clock> Cache<R, C> {
    pub fn new(inner: R, clock: C, lifetime: Lifetime) -> Self {
        Self {
            inner,
            clock,
            lifetime,
            entries: RefCell::default(),
            flights: RefCell::default(),
            stats: Cell::default(),
        }
    }

    /// The resolver underneath.
    pub fn inner(&self) -> &R {
        &self.inner
    }

    /// What the cache did so far.
    pub fn stats(&self) -> Stats {
        self.stats.get()
    }

    /// Forgets every kept answer (questions in flight go on).
    pub fn clear(&self) {
        self.entries.borrow_mut().clear();
    }

    /// Asks past the memory (an identical question already in flight is still shared), and
    /// keeps the new answer.
    pub async fn ask_fresh(&self, name: &Name, rtype: RecordType) -> Outcome {
        self.ask_with(name, rtype, false).await
    }

    fn count(&self, change: impl FnOnce(&mut Stats)) {
        let mut stats = self.stats.get();
        change(&mut stats);
        self.stats.set(stats);
    }

    fn remembered(&self, key: &Key) -> Option<Answered> {
        let now = self.clock.now_ms();
        let mut entries = self.entries.borrow_mut();
        let entry = entries.get(key)?;
        if entry.expires_ms.is_some_and(|expires| now >= expires) {
            entries.remove(key);
            return None;
        }
        let age_s = ((now - entry.stored_ms).max(0.0) / 1000.0) as u32;
        let mut answer = entry.answer.clone();
        answer.cached = true;
        answer.elapsed_ms = 0;
        answer.attempts.clear();
        age(&mut answer.message, age_s);
        Some(answer)
    }

    fn remember(&self, key: Key, answer: &Answered) {
        let expires_ms = match self.lifetime {
            Lifetime::Session => None,
            Lifetime::Ttl => match keep_for_s(&answer.message) {
                Some(ttl) if ttl > 0 => Some(self.clock.now_ms() + f64::from(ttl) * 1000.0),
                _ => return,
            },
        };
        let entry = Entry {
            answer: answer.clone(),
            stored_ms: self.clock.now_ms(),
            expires_ms,
        };
        self.entries.borrow_mut().insert(key, entry);
    }

    async fn ask_with(&self, name: &Name, rtype: RecordType, use_memory: bool) -> Outcome {
        self.count(|s| s.asked += 1);
        let key = (name.clone(), rtype);
        let mut joined = false;
        loop {
            if use_memory && let Some(answer) = self.remembered(&key) {
                self.count(|s| s.hits += 1);
                return Ok(answer);
            }
            let existing = self.flights.borrow().get(&key).cloned();
            if let Some(flight) = existing {
                if !joined {
                    joined = true;
                    self.count(|s| s.shared += 1);
                }
                match (Wait { flight }).await {
                    Some(result) => return result,
                    // The asker went away before the answer came: ask again.
                    None => continue,
                }
            }
            let flight = Rc::new(Flight::default());
            self.flights
                .borrow_mut()
                .insert(key.clone(), flight.clone());
            self.count(|s| {
                s.sent += 1;
                s.in_flight += 1;
                s.max_in_flight = s.max_in_flight.max(s.in_flight);
            });
            let mut leader = Leader {
                cache: self,
                key: &key,
                flight: &flight,
                done: false,
            };
            let result = self.inner.ask(name, rtype).await;
            if let Ok(answer) = &result {
                self.remember(key.clone(), answer);
            }
            *flight.result.borrow_mut() = Some(result.clone());
            leader.done = true;
            drop(leader);
            return result;
        }
    }
}

/// Ends a flight when its asker finishes or goes away (a dropped future).
struct Leader<'a, R, C> {
    cache: &'a Cache<R, C>,
    key: &'a Key,
    flight: &'a Rc<Flight>,
    done: bool,
}

impl<R, C> Drop for Leader<'_, R, C> {
    fn drop(&mut self) {
        let mut flights = self.cache.flights.borrow_mut();
        if flights
            .get(self.key)
            .is_some_and(|f| Rc::ptr_eq(f, self.flight))
        {
            flights.remove(self.key);
        }
        drop(flights);
        let mut stats = self.cache.stats.get();
        stats.in_flight = stats.in_flight.saturating_sub(1);
        self.cache.stats.set(stats);
        if !self.done {
            self.flight.abandoned.set(true);
        }
        self.flight.wake_all();
    }
}

/// Waits for another asker's answer; `None` when that asker went away.
struct Wait {
    flight: Rc<Flight>,
}

impl Future for Wait {
    type Output = Option<Outcome>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if let Some(result) = self.flight.result.borrow().as_ref() {
            return Poll::Ready(Some(result.clone()));
        }
        if self.flight.abandoned.get() {
            return Poll::Ready(None);
        }
        let mut wakers = self.flight.wakers.borrow_mut();
        if !wakers.iter().any(|w| w.will_wake(cx.waker())) {
            wakers.push(cx.waker().clone());
        }
        Poll::Pending
    }
}

/// How long an answer may be kept, in seconds; `None`: not at all.
fn keep_for_s(message: &Message) -> Option<u32> {
    let has_answer = message.answers.iter().any(|r| {
        message
            .questions
            .first()
            .is_some_and(|q| q.rtype == r.rtype)
    });
    match message.rcode {
        Rcode::NOERROR if has_answer => message.answers.iter().map(|r| r.ttl).min(),
        Rcode::NOERROR | Rcode::NXDOMAIN => message
            .authority
            .iter()
            .find_map(|r| match &r.data {
                RData::Soa { minimum, .. } => Some(r.ttl.min(*minimum)),
                _ => None,
            })
            .map(|negative| {
                // A CNAME chain before the negative answer expires too.
                message
                    .answers
                    .iter()
                    .map(|r| r.ttl)
                    .fold(negative, u32::min)
            }),
        _ => None,
    }
}

/// Lowers every TTL by the seconds an answer was kept.
fn age(message: &mut Message, seconds: u32) {
    for record in message
        .answers
        .iter_mut()
        .chain(message.authority.iter_mut())
        .chain(message.additional.iter_mut())
    {
        record.ttl = record.ttl.saturating_sub(seconds);
    }
}

impl<R: Resolver, C: Clock> Resolver for Cache<R, C> {
    fn label(&self) -> String {
        self.inner.label()
    }

    async fn query(&self, name: &Name, rtype: RecordType) -> Result<Message, TransportError> {
        self.ask(name, rtype)
            .await
            .map(|a| a.message)
            .map_err(|u| u.error)
    }

    async fn ask(&self, name: &Name, rtype: RecordType) -> Outcome {
        self.ask_with(name, rtype, true).await
    }
}
