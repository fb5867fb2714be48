//! The whole check over in-memory zones: every area, streaming, cross-area findings, a
//! failing area beside working ones, and no question sent twice.

use core::cell::RefCell;

use super::*;
use crate::dns::cache::{Cache, Lifetime};
use crate::dns::doh::Clock;
use crate::dns::resolver::ZoneResolver;
use crate::join::{StoppedClock, now, zone_cache};

const PERF: &str = include_str!("../../../../tests/bench/perf.zone");

/// An HTTP client that serves one MTA-STS policy.
struct OnePolicy(&'static str, &'static str);

impl Clock for OnePolicy {
    fn now_ms(&self) -> f64 {
        0.0
    }
}

impl HttpGet for OnePolicy {
    async fn get(&self, url: &str, _timeout_ms: u32) -> Result<HttpReply, TransportError> {
        assert_eq!(url, self.0);
        Ok(HttpReply {
            status: 200,
            content_type: "text/plain; charset=utf-8".into(),
            body: self.1.as_bytes().to_vec(),
        })
    }
}

/// An HTTP client whose every request fails.
struct FailingHttp(TransportError);

impl Clock for FailingHttp {
    fn now_ms(&self) -> f64 {
        0.0
    }
}

impl HttpGet for FailingHttp {
    async fn get(&self, _url: &str, _timeout_ms: u32) -> Result<HttpReply, TransportError> {
        Err(self.0.clone())
    }
}

/// The zone, logging every question that reaches it (past the check's cache).
struct Logged {
    zone: ZoneResolver,
    sent: RefCell<Vec<String>>,
}

impl Resolver for Logged {
    fn label(&self) -> String {
        "logged".into()
    }

    async fn query(&self, name: &Name, rtype: RecordType) -> Result<Message, TransportError> {
        self.sent.borrow_mut().push(format!("{name} {rtype}"));
        Ok(self.zone.answer(name, rtype))
    }
}

/// A check of `domain` over `zone`, with no HTTP and no progress wanted.
fn check(zone: &str, domain: &str) -> Report {
    now(run(
        &zone_cache(zone),
        &NoHttp(""),
        PolicyFetch::Skip("x"),
        &request(domain),
        &|_, _| {},
    ))
}

fn request(domain: &str) -> Request {
    Request {
        domain: domain.into(),
        ..Request::default()
    }
}

#[test]
fn the_perf_domain_checks_every_area_and_asks_nothing_twice() {
    let logged = Logged {
        zone: ZoneResolver::from_zone_text(PERF, "perf").unwrap(),
        sent: RefCell::default(),
    };
    let zone = Cache::new(&logged, StoppedClock, Lifetime::Session);
    let seen: RefCell<Vec<Area>> = RefCell::default();
    let updates = RefCell::new(0u32);
    let notify = |report: &Report, progress: &Progress| {
        *updates.borrow_mut() += 1;
        for a in Area::ALL {
            if progress.of(a).done && !seen.borrow().contains(&a) {
                seen.borrow_mut().push(a);
                assert_ne!(report.summary(a).status, AreaStatus::Pending, "{a:?}");
            }
        }
    };
    let mut req = request("example.test");
    req.selectors = vec!["sel1".into()];
    req.ip = Some("192.0.2.25".parse().unwrap());
    let report = now(run(
        &zone,
        &NoHttp(""),
        PolicyFetch::Skip("x"),
        &req,
        &notify,
    ));
    assert_eq!(seen.borrow().len(), 10, "every area finished");
    assert_eq!(
        seen.borrow().last(),
        Some(&Area::Dnssec),
        "DNSSEC is judged last"
    );
    assert!(*updates.borrow() > 20, "progress streams");
    let sent = logged.sent.borrow();
    let mut unique = sent.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), sent.len(), "no question sent twice: {sent:?}");
    // mx1's address is wanted by MX, SPF's mx term and reverse DNS: sent once, shared.
    assert_eq!(
        sent.iter().filter(|q| *q == "mx1.example.test A").count(),
        1
    );
    let stats = zone.stats();
    assert!(
        stats.hits + stats.shared > 0,
        "the cache answered repeats: {stats:?}"
    );
    for a in [
        Area::Mx,
        Area::Spf,
        Area::Dkim,
        Area::Dmarc,
        Area::ReverseDns,
    ] {
        let s = report.summary(a);
        assert!(
            matches!(s.status, AreaStatus::Pass | AreaStatus::Warning),
            "{a:?}: {s:?} {:?}",
            report.findings(a)
        );
    }
    assert_eq!(report.mx.as_ref().unwrap().hosts().len(), 2);
    let rdns = report.rdns.as_ref().unwrap();
    assert_eq!(
        rdns.entries.len(),
        2,
        "the sender (an MX address too, once) and the other MX"
    );
    assert!(rdns.entries.iter().all(rdns::Reverse::confirmed));
    assert_eq!(
        report
            .spf
            .as_ref()
            .unwrap()
            .sender
            .as_ref()
            .unwrap()
            .1
            .result,
        spf::eval::SpfResult::Pass
    );
    assert_eq!(
        report.summary(Area::MtaSts).status,
        AreaStatus::NotConfigured
    );
    assert_eq!(
        report.summary(Area::Dnssec).status,
        AreaStatus::NotConfigured
    );
    assert!(!report.has_errors(), "{}", report.to_markdown());
}

const CROSS: &str = "$ORIGIN t.\n$TTL 300\n@ SOA ns h 1 2 3 4 300\n\
    null MX 0 .\nnull TXT \"v=spf1 ~all\"\n\
    brand MX 10 mx1.brand\nbrand MX 20 mx2.brand\nmx1.brand A 192.0.2.1\nmx2.brand A 192.0.2.2\n\
    brand TXT \"v=spf1 mx -all\"\n_dmarc.brand TXT \"v=DMARC1; p=none; rua=mailto:d@brand.t\"\n\
    default._bimi.brand TXT \"v=BIMI1; l=https://brand.t/logo.svg; a=https://brand.t/vmc.pem\"\n\
    _mta-sts.brand TXT \"v=STSv1; id=1\"\nmta-sts.brand A 192.0.2.80\n\
    _dmarc.broken CNAME loop.broken\nloop.broken CNAME _dmarc.broken\nbroken TXT \"v=spf1 -all\"\n";

#[test]
fn findings_that_need_two_areas() {
    let zone = zone_cache(CROSS);
    let null = check(CROSS, "null.t");
    let codes: Vec<&str> = null.findings(Area::Spf).iter().map(|f| f.code).collect();
    assert!(codes.contains(&"mx.null-spf"), "{codes:?}");
    assert_eq!(null.summary(Area::Mx).status, AreaStatus::Pass);
    assert_eq!(
        null.summary(Area::ReverseDns).status,
        AreaStatus::NotConfigured
    );

    let policy = "version: STSv1\nmode: enforce\nmx: mx1.brand.t\nmax_age: 604800\n";
    let http = OnePolicy("https://mta-sts.brand.t/.well-known/mta-sts.txt", policy);
    let brand = now(run(
        &zone,
        &http,
        PolicyFetch::Fetch,
        &request("brand.t"),
        &|_, _| {},
    ));
    let codes = |a| -> Vec<&str> { brand.findings(a).iter().map(|f| f.code).collect() };
    assert!(codes(Area::Bimi).contains(&"bimi.dmarc-not-enforced"));
    assert_eq!(codes(Area::MtaSts), ["mta-sts.mx-not-covered"]);
    assert_eq!(
        brand.findings(Area::MtaSts)[0].fix.as_deref(),
        Some("mx: mx2.brand.t")
    );
    let tlsrpt = brand.findings(Area::TlsRpt);
    assert_eq!(tlsrpt[0].code, "tlsrpt.none");
    assert_eq!(
        tlsrpt[0].severity,
        Severity::Warning,
        "MTA-STS without reports"
    );
    assert!(brand.has_errors());
}

#[test]
fn one_failing_area_leaves_the_others_whole() {
    let broken = check(CROSS, "broken.t");
    assert_eq!(broken.summary(Area::Dmarc).status, AreaStatus::Failed);
    assert_eq!(broken.summary(Area::Spf).status, AreaStatus::Pass);
    assert!(broken.summary(Area::Dmarc).line.contains("failed"));
}

#[test]
fn the_page_says_why_the_policy_is_not_read() {
    let zone = zone_cache(CROSS);
    let why = "the browser may not read it.";
    let brand = now(run(
        &zone,
        &NoHttp(""),
        PolicyFetch::Skip(why),
        &request("brand.t"),
        &|_, _| {},
    ));
    let sts = brand.mta_sts.as_ref().unwrap();
    assert_eq!(sts.policy, Some(PolicyState::NotRead(why.into())));
    let f = brand.findings(Area::MtaSts);
    assert_eq!(f[0].code, "mta-sts.policy-not-read");
    assert!(
        f[0].message
            .contains("https://mta-sts.brand.t/.well-known/mta-sts.txt")
    );
}

#[test]
fn markdown_has_a_row_per_area_and_fixes_in_fences() {
    let null = check(CROSS, "null.t");
    let md = null.to_markdown();
    assert!(md.starts_with("# Email DNS check: null.t\n"));
    for a in Area::ALL {
        assert!(md.contains(&format!("| {} |", a.title())), "{a:?}");
    }
    assert!(md.contains("`mx.null-spf`"));
    assert!(md.contains("```\n  v=spf1 -all\n  ```"));
}

#[test]
fn a_policy_with_no_readable_response_is_the_hosts_problem_unless_a_page_asked() {
    let zone = zone_cache(CROSS);
    let sts = |http: &FailingHttp, how| {
        let report = now(run(&zone, http, how, &request("brand.t"), &|_, _| {}));
        report.mta_sts.unwrap()
    };
    let offline = FailingHttp(TransportError::Network);
    let cli = sts(&offline, PolicyFetch::Fetch);
    assert_eq!(cli.findings[0].code, "mta-sts.policy-fetch-failed");
    assert!(
        cli.findings[0]
            .message
            .contains("mta-sts.brand.t could not be reached over HTTPS, or its certificate"),
        "{}",
        cli.findings[0].message
    );
    assert!(matches!(cli.policy, Some(PolicyState::Failed(_))));

    // From a page, the browser may have refused to show the answer (no CORS header): that is
    // not the domain's fault, and the report says what happened instead.
    let why = "the browser would not let this page read it.";
    let page = sts(&offline, PolicyFetch::FromPage { unreadable: why });
    assert_eq!(page.findings[0].code, "mta-sts.policy-not-read");
    assert!(page.findings[0].message.contains(why));
    assert_eq!(page.policy, Some(PolicyState::NotRead(why.into())));

    // A timeout is the host's, wherever it was asked from.
    let slow = FailingHttp(TransportError::Timeout { after_ms: 10_000 });
    let page = sts(&slow, PolicyFetch::FromPage { unreadable: why });
    assert_eq!(page.findings[0].code, "mta-sts.policy-fetch-failed");
    assert!(
        page.findings[0]
            .message
            .contains("no answer within 10 seconds")
    );
}
