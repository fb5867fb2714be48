//! The DoH resolver's failover and the cache's TTLs and sharing, over a scripted transport: each
//! resolver is told how to behave, every request is logged, and answers take a set number of
//! polls, so concurrent questions really overlap.

use core::cell::{Cell, RefCell};
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::collections::HashMap;
use std::rc::Rc;

use mxray_core::dns::cache::{Cache, Lifetime, Stats};
use mxray_core::dns::doh::{Clock, DohResolver, HttpGet, HttpReply};
use mxray_core::dns::resolver::ZoneResolver;
use mxray_core::dns::{Message, Name, Outcome, Rcode, RecordType, Resolver, TransportError};
use mxray_core::encoding::base64url_decode;

const ZONE: &str = r#"
$ORIGIN example.com.
@     300 SOA  ns hostmaster 1 3600 600 86400 60
@     300 TXT  "v=spf1 -all"
@      30 MX   10 mail
mail  120 A    192.0.2.25
www   600 CNAME @
"#;

#[derive(Clone, Copy, Debug)]
enum Behaviour {
    Answer,
    ServFail,
    Refused,
    Timeout,
    Network,
    Http(u16),
    Html,
}

/// A transport whose resolvers answer from one zone, each as its script says.
#[derive(Clone, Default)]
struct Script {
    zone: Rc<RefCell<Option<ZoneResolver>>>,
    behaviour: Rc<RefCell<HashMap<String, Behaviour>>>,
    log: Rc<RefCell<Vec<(String, Name, RecordType)>>>,
    now: Rc<Cell<f64>>,
    polls: usize,
}

impl Script {
    fn new(polls: usize) -> Self {
        let script = Self {
            polls,
            ..Self::default()
        };
        *script.zone.borrow_mut() = Some(ZoneResolver::from_zone_text(ZONE, "zone").unwrap());
        script
    }

    fn set(&self, host: &str, b: Behaviour) {
        self.behaviour.borrow_mut().insert(host.to_owned(), b);
    }

    fn requests(&self) -> usize {
        self.log.borrow().len()
    }
}

impl Clock for Script {
    fn now_ms(&self) -> f64 {
        self.now.get()
    }
}

/// Pending for a number of polls, then done.
struct Polls(usize);

impl Future for Polls {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 == 0 {
            return Poll::Ready(());
        }
        self.0 -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

impl HttpGet for Script {
    async fn get(&self, url: &str, timeout_ms: u32) -> Result<HttpReply, TransportError> {
        let (endpoint, dns) = url.split_once("?dns=").unwrap();
        let host = endpoint.split('/').nth(2).unwrap().to_owned();
        let query = Message::from_wire(&base64url_decode(dns).unwrap()).unwrap();
        let q = &query.questions[0];
        self.log
            .borrow_mut()
            .push((host.clone(), q.name.clone(), q.rtype));
        Polls(self.polls).await;
        let behaviour = self
            .behaviour
            .borrow()
            .get(&host)
            .copied()
            .unwrap_or(Behaviour::Answer);
        let dns_reply = |rcode: Option<Rcode>| {
            let zone = self.zone.borrow();
            let mut message = zone.as_ref().unwrap().answer(&q.name, q.rtype);
            if let Some(rcode) = rcode {
                message.rcode = rcode;
                message.answers.clear();
            }
            HttpReply {
                status: 200,
                content_type: "application/dns-message".into(),
                body: message.to_wire(),
            }
        };
        match behaviour {
            Behaviour::Answer => Ok(dns_reply(None)),
            Behaviour::ServFail => Ok(dns_reply(Some(Rcode::SERVFAIL))),
            Behaviour::Refused => Ok(dns_reply(Some(Rcode::REFUSED))),
            Behaviour::Timeout => Err(TransportError::Timeout {
                after_ms: timeout_ms,
            }),
            Behaviour::Network => Err(TransportError::Network),
            Behaviour::Http(status) => Ok(HttpReply {
                status,
                ..HttpReply::default()
            }),
            Behaviour::Html => Ok(HttpReply {
                status: 200,
                content_type: "text/html; charset=utf-8".into(),
                body: b"<html>".to_vec(),
            }),
        }
    }
}

/// Runs futures together on this thread until all are done.
fn run_all<T>(futures: Vec<Pin<Box<dyn Future<Output = T> + '_>>>) -> Vec<T> {
    let mut futures: Vec<_> = futures.into_iter().map(Some).collect();
    let mut out: Vec<Option<T>> = futures.iter().map(|_| None).collect();
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..10_000 {
        for (slot, result) in futures.iter_mut().zip(out.iter_mut()) {
            if let Some(future) = slot
                && let Poll::Ready(value) = future.as_mut().poll(&mut cx)
            {
                *result = Some(value);
                *slot = None;
            }
        }
        if futures.iter().all(Option::is_none) {
            return out.into_iter().map(Option::unwrap).collect();
        }
    }
    panic!("futures did not finish");
}

fn run<T>(future: impl Future<Output = T>) -> T {
    run_all(vec![Box::pin(future)]).pop().unwrap()
}

fn n(text: &str) -> Name {
    Name::parse(text).unwrap()
}

const ONE: &str = "https://one.example/dns-query";
const TWO: &str = "https://two.example/dns-query";

fn doh(script: &Script) -> DohResolver<Script> {
    DohResolver::new(script.clone(), vec![ONE.into(), TWO.into()])
}

#[test]
fn the_first_resolver_answers_when_it_can() {
    let script = Script::new(1);
    let answer = run(doh(&script).ask(&n("example.com"), RecordType::TXT)).unwrap();
    assert_eq!(answer.source, "one.example");
    assert!(answer.attempts.is_empty());
    assert_eq!(script.requests(), 1);
}

#[test]
fn failover_on_every_kind_of_failure_keeps_what_went_wrong() {
    for (behaviour, says) in [
        (Behaviour::Timeout, "did not answer within 5"),
        (Behaviour::Network, "Could not reach"),
        (Behaviour::Http(429), "429"),
        (Behaviour::Html, "web page"),
        (Behaviour::ServFail, "answered SERVFAIL"),
        (Behaviour::Refused, "answered REFUSED"),
    ] {
        let script = Script::new(1);
        script.set("one.example", behaviour);
        let answer = run(doh(&script).ask(&n("example.com"), RecordType::TXT))
            .unwrap_or_else(|e| panic!("{behaviour:?}: {e:?}"));
        assert_eq!(answer.source, "two.example", "{behaviour:?}");
        assert_eq!(answer.attempts.len(), 1, "{behaviour:?}");
        assert_eq!(answer.attempts[0].resolver, "one.example");
        assert!(
            answer.attempts[0].problem.contains(says),
            "{behaviour:?}: {}",
            answer.attempts[0].problem
        );
        assert!(matches!(
            Outcome::from_message(&answer.message, RecordType::TXT),
            Outcome::Records { .. }
        ));
        assert_eq!(script.requests(), 2);
    }
}

#[test]
fn nxdomain_and_nodata_are_answers_not_failures() {
    let script = Script::new(1);
    let answer = run(doh(&script).ask(&n("nope.example.com"), RecordType::A)).unwrap();
    assert_eq!(answer.message.rcode, Rcode::NXDOMAIN);
    assert_eq!(script.requests(), 1, "no failover on NXDOMAIN");
}

#[test]
fn when_every_resolver_fails_the_first_failure_leads_and_all_are_listed() {
    let script = Script::new(1);
    script.set("one.example", Behaviour::Timeout);
    script.set("two.example", Behaviour::Http(500));
    let failed = run(doh(&script).ask(&n("example.com"), RecordType::TXT)).unwrap_err();
    assert_eq!(failed.error, TransportError::Timeout { after_ms: 5000 });
    assert_eq!(failed.attempts.len(), 2);
    assert!(failed.attempts[1].problem.contains("500"));
}

#[test]
fn a_servfail_everywhere_is_returned_as_the_dns_answer_it_is() {
    let script = Script::new(1);
    script.set("one.example", Behaviour::ServFail);
    script.set("two.example", Behaviour::Network);
    let answer = run(doh(&script).ask(&n("example.com"), RecordType::TXT)).unwrap();
    assert_eq!(answer.message.rcode, Rcode::SERVFAIL);
    assert_eq!(answer.source, "one.example");
    assert_eq!(
        answer.attempts.len(),
        1,
        "only the other resolver's failure"
    );
    assert_eq!(answer.attempts[0].resolver, "two.example");
}

#[test]
fn elapsed_time_comes_from_the_transport_clock() {
    struct Slow(Script);
    impl Clock for Slow {
        fn now_ms(&self) -> f64 {
            let t = self.0.now.get();
            self.0.now.set(t + 42.7);
            t
        }
    }
    impl HttpGet for Slow {
        async fn get(&self, url: &str, timeout_ms: u32) -> Result<HttpReply, TransportError> {
            self.0.get(url, timeout_ms).await
        }
    }
    let slow = DohResolver::new(Slow(Script::new(0)), vec![ONE.into()]);
    let answer = run(slow.ask(&n("example.com"), RecordType::TXT)).unwrap();
    assert_eq!(answer.elapsed_ms, 42);
}

fn cache(script: &Script, lifetime: Lifetime) -> Cache<DohResolver<Script>, Script> {
    Cache::new(doh(script), script.clone(), lifetime)
}

#[test]
fn identical_questions_in_flight_share_one_request() {
    let script = Script::new(5);
    let cache = cache(&script, Lifetime::Ttl);
    let names = [
        "example.com",
        "example.com",
        "EXAMPLE.com",
        "mail.example.com",
        "example.com",
    ];
    let results = run_all(
        names
            .iter()
            .map(|name| {
                let cache = &cache;
                Box::pin(async move { cache.ask(&n(name), RecordType::TXT).await })
                    as Pin<Box<dyn Future<Output = _>>>
            })
            .collect(),
    );
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(script.requests(), 2, "{:?}", script.log.borrow());
    assert_eq!(
        cache.stats(),
        Stats {
            asked: 5,
            sent: 2,
            hits: 0,
            shared: 3,
            in_flight: 0,
            max_in_flight: 2,
        }
    );
}

#[test]
fn answers_are_kept_for_their_ttl_and_aged() {
    let script = Script::new(1);
    let cache = cache(&script, Lifetime::Ttl);
    let mx = || run(cache.ask(&n("example.com"), RecordType::MX)).unwrap();
    assert!(!mx().cached);
    script.now.set(12_500.0);
    let again = mx();
    assert!(again.cached);
    assert_eq!(again.message.answers[0].ttl, 30 - 12, "TTL aged by 12 s");
    assert_eq!(script.requests(), 1);
    script.now.set(30_000.0);
    assert!(!mx().cached, "expired at its 30 s TTL");
    assert_eq!(script.requests(), 2);
}

#[test]
fn a_cname_chain_expires_with_its_shortest_ttl() {
    let script = Script::new(1);
    let cache = cache(&script, Lifetime::Ttl);
    run(cache.ask(&n("www.example.com"), RecordType::MX)).unwrap();
    script.now.set(29_000.0);
    assert!(
        run(cache.ask(&n("www.example.com"), RecordType::MX))
            .unwrap()
            .cached
    );
    script.now.set(31_000.0);
    assert!(
        !run(cache.ask(&n("www.example.com"), RecordType::MX))
            .unwrap()
            .cached
    );
}

#[test]
fn negative_answers_are_kept_for_the_soa_minimum() {
    let script = Script::new(1);
    let cache = cache(&script, Lifetime::Ttl);
    let ask = || run(cache.ask(&n("nope.example.com"), RecordType::A)).unwrap();
    ask();
    script.now.set(59_000.0);
    assert!(ask().cached, "SOA MINIMUM 60 s (RFC 2308)");
    script.now.set(61_000.0);
    assert!(!ask().cached);
}

#[test]
fn failures_are_never_kept() {
    let script = Script::new(1);
    script.set("one.example", Behaviour::ServFail);
    script.set("two.example", Behaviour::ServFail);
    let cache = cache(&script, Lifetime::Ttl);
    run(cache.ask(&n("example.com"), RecordType::TXT)).unwrap();
    run(cache.ask(&n("example.com"), RecordType::TXT)).unwrap();
    script.set("two.example", Behaviour::Timeout);
    run(cache.ask(&n("example.com"), RecordType::TXT)).unwrap();
    assert_eq!(
        script.requests(),
        6,
        "SERVFAIL and timeouts are asked again"
    );
}

#[test]
fn fresh_questions_skip_memory_and_clear_forgets() {
    let script = Script::new(1);
    let cache = cache(&script, Lifetime::Ttl);
    run(cache.ask(&n("example.com"), RecordType::TXT)).unwrap();
    assert!(
        !run(cache.ask_fresh(&n("example.com"), RecordType::TXT))
            .unwrap()
            .cached
    );
    assert!(
        run(cache.ask(&n("example.com"), RecordType::TXT))
            .unwrap()
            .cached
    );
    cache.clear();
    assert!(
        !run(cache.ask(&n("example.com"), RecordType::TXT))
            .unwrap()
            .cached
    );
    assert_eq!(script.requests(), 3);
}

#[test]
fn a_session_cache_keeps_everything_for_one_check() {
    let script = Script::new(1);
    let cache = cache(&script, Lifetime::Session);
    run(cache.ask(&n("example.com"), RecordType::MX)).unwrap();
    script.now.set(3_600_000.0);
    assert!(
        run(cache.ask(&n("example.com"), RecordType::MX))
            .unwrap()
            .cached
    );
    assert_eq!(script.requests(), 1);
}

#[test]
fn a_dropped_asker_does_not_strand_those_waiting_for_it() {
    let script = Script::new(3);
    let cache = cache(&script, Lifetime::Ttl);
    let mut cx = Context::from_waker(Waker::noop());
    let name = n("example.com");
    let mut leader = Box::pin(cache.ask(&name, RecordType::TXT));
    assert!(leader.as_mut().poll(&mut cx).is_pending());
    let mut follower = Box::pin(cache.ask(&name, RecordType::TXT));
    assert!(follower.as_mut().poll(&mut cx).is_pending());
    drop(leader);
    let answer = run(follower).unwrap();
    assert!(!answer.cached);
    assert_eq!(script.requests(), 2, "the follower asked for itself");
    assert_eq!(cache.stats().in_flight, 0);
}

#[test]
fn the_cache_works_over_any_resolver() {
    let zone = ZoneResolver::from_zone_text(ZONE, "zone.txt").unwrap();
    let cache = Cache::new(zone, Script::new(0), Lifetime::Session);
    let first = run(cache.ask(&n("mail.example.com"), RecordType::A)).unwrap();
    assert_eq!(first.source, "zone.txt");
    assert!(
        run(cache.ask(&n("mail.example.com"), RecordType::A))
            .unwrap()
            .cached
    );
    assert_eq!(cache.stats().sent, 1);
}
