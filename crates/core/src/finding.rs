//! Findings: what every lint reports.
//!
//! A finding is data, never an `Err`: a stable `code` (for example `spf.lookup-limit`), a
//! severity, a message naming the exact problem, the RFC section it rests on, a byte span into
//! the record text where there is one, and a fix (ideally a copy-ready record). Codes are listed in
//! [`CATALOG`] and never reused once published.

use core::ops::Range;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; nothing is wrong.
    Info,
    /// Works today but is risky or weaker than it should be.
    Warning,
    /// Mail will be rejected, marked as spam, or the record is ignored.
    Error,
}

impl Severity {
    /// The lowercase name used in JSON and in the catalog: `info`, `warning`, `error`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

/// One diagnostic about one record or one lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Stable code from [`CATALOG`], like `spf.lookup-limit`.
    pub code: &'static str,
    /// How bad it is.
    pub severity: Severity,
    /// The exact problem, in plain words.
    pub message: String,
    /// The RFC section the finding rests on, like `RFC 7208 §4.6.4`.
    pub rfc: &'static str,
    /// Byte range into the record text the finding points at, when it points into one.
    pub span: Option<Range<usize>>,
    /// What to do about it; ideally a record that can be copied as it is.
    pub fix: Option<String>,
}

impl Finding {
    /// A finding with the severity and RFC its catalog entry gives.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        let entry = meta(code);
        debug_assert!(entry.is_some(), "{code} is not in the catalog");
        Self {
            code,
            severity: entry.map_or(Severity::Info, |e| e.0),
            message: message.into(),
            rfc: entry.map_or("", |e| e.1),
            span: None,
            fix: None,
        }
    }

    /// Points the finding at bytes of the record text.
    #[must_use]
    pub fn at(mut self, span: Range<usize>) -> Self {
        self.span = Some(span);
        self
    }

    /// Adds what to do (ideally a record to copy).
    #[must_use]
    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    /// Overrides the catalog's severity (a wider network is worse than a wide one).
    #[must_use]
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

impl Finding {
    /// The finding as a JSON object, the one shape the CLI and the page's export share:
    /// `code`, `severity` (`error`, `warning` or `info`), `message`, `rfc`, `span`
    /// (`{"start": …, "end": …}` bytes into the record, when it points into one) and `fix`
    /// (when there is one).
    pub fn to_json(&self) -> String {
        let mut out = format!(
            "{{\"code\":{},\"severity\":{},\"message\":{},\"rfc\":{}",
            json_string(self.code),
            json_string(self.severity.as_str()),
            json_string(&self.message),
            json_string(self.rfc)
        );
        if let Some(span) = &self.span {
            out.push_str(&format!(
                ",\"span\":{{\"start\":{},\"end\":{}}}",
                span.start, span.end
            ));
        }
        if let Some(fix) = &self.fix {
            out.push_str(&format!(",\"fix\":{}", json_string(fix)));
        }
        out.push('}');
        out
    }
}

/// A piece of record text, and the worst finding that points at it (for underlining).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub severity: Option<Severity>,
    /// The codes of the findings that point here.
    pub codes: Vec<&'static str>,
}

/// Cuts `text` at every span boundary of `findings`, so each piece can be shown plainly or
/// underlined. Spans outside the text or not on character boundaries are ignored.
pub fn segments(text: &str, findings: &[Finding]) -> Vec<Segment> {
    let spans: Vec<(&Range<usize>, &Finding)> = findings
        .iter()
        .filter_map(|f| f.span.as_ref().map(|s| (s, f)))
        .filter(|(s, _)| {
            s.start < s.end
                && s.end <= text.len()
                && text.is_char_boundary(s.start)
                && text.is_char_boundary(s.end)
        })
        .collect();
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for (s, _) in &spans {
        cuts.push(s.start);
        cuts.push(s.end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .filter(|w| w[0] < w[1])
        .map(|w| {
            let covering: Vec<&Finding> = spans
                .iter()
                .filter(|(s, _)| s.start <= w[0] && w[1] <= s.end)
                .map(|(_, f)| *f)
                .collect();
            Segment {
                text: text[w[0]..w[1]].to_owned(),
                severity: covering.iter().map(|f| f.severity).max(),
                codes: covering.iter().map(|f| f.code).collect(),
            }
        })
        .collect()
}

/// A JSON string literal (RFC 8259 §7).
pub fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An entry of the findings catalog: what a code means and an example.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CatalogEntry {
    /// The stable code.
    pub code: &'static str,
    /// Its severity.
    pub severity: Severity,
    /// The RFC section it rests on.
    pub rfc: &'static str,
    /// What the finding means and why it matters.
    pub explanation: &'static str,
    /// A record or situation that produces it.
    pub example: &'static str,
}

/// Defines the catalog once and derives from it both [`CATALOG`] (with explanations and
/// examples, for the catalog page) and the small code → (severity, RFC) table findings are built
/// from, so a page that never shows the catalog does not carry its text.
macro_rules! catalog {
    ($($code:literal => $severity:ident, $rfc:literal, $explanation:expr, $example:expr;)*) => {
        /// Every code mxray can report. Append only: a code, once here, is never reused for
        /// anything else.
        pub const CATALOG: &[CatalogEntry] = &[
            $(CatalogEntry {
                code: $code,
                severity: Severity::$severity,
                rfc: $rfc,
                explanation: $explanation,
                example: $example,
            },)*
        ];

        /// The severity and RFC of a code.
        fn meta(code: &str) -> Option<(Severity, &'static str)> {
            match code {
                $($code => Some((Severity::$severity, $rfc)),)*
                _ => None,
            }
        }
    };
}

catalog! {
    "dns.malformed-response" => Error, "RFC 1035 §4.1",
        "The resolver's answer could not be decoded as a DNS message, so nothing \
                      in it can be trusted. The finding says at which byte decoding stopped.",
        "A DoH endpoint that answers 200 with an HTML error page.";
    "dns.truncated-response" => Error, "RFC 1035 §4.1",
        "The answer ended before the message it announced was complete.",
        "A proxy that cut the response body short.";
    "spf.no-record" => Warning, "RFC 7208 §4.5",
        "The domain publishes no SPF record, so receivers cannot tell its mail from forgeries (the SPF result is none). A domain that sends no mail should still say so.",
        "example.com has no TXT record starting with v=spf1.";
    "spf.multiple-records" => Error, "RFC 7208 §4.5",
        "More than one TXT record starts with v=spf1. Receivers must return permerror: the domain's SPF is broken until the records are merged into one.",
        "\"v=spf1 include:_spf.google.com ~all\" and \"v=spf1 include:mailgun.org ~all\" at the same name.";
    "spf.type99-record" => Warning, "RFC 7208 §3.1",
        "An SPF record of DNS type SPF (99) is published. RFC 7208 removed that type; receivers only read TXT. Remove it, and make sure the TXT record says the same.",
        "example.com. IN SPF \"v=spf1 -all\"";
    "spf.syntax" => Error, "RFC 7208 §4.6.1",
        "The record does not follow the SPF grammar at the place shown. Receivers return permerror for the whole record, not just this term.",
        "v=spf1 include _spf.example.com -all (missing ':')";
    "spf.version" => Error, "RFC 7208 §4.5",
        "The text does not start with v=spf1 followed by a space, so it is not an SPF record at all.",
        "v=spf10 -all, or spf1 -all";
    "spf.version-not-first" => Error, "RFC 7208 §4.5",
        "v=spf1 is in the record but not at its start. Receivers only recognise records that begin with it.",
        "include:_spf.example.com v=spf1 -all";
    "spf.version-case" => Warning, "RFC 7208 §4.5",
        "The version is not written in lower case. The grammar allows it, but some receivers compare v=spf1 exactly.",
        "V=SPF1 -all";
    "spf.unknown-mechanism" => Error, "RFC 7208 §5",
        "A word where a mechanism should be is not one of all, include, a, mx, ptr, ip4, ip6 or exists: often a typo or a vendor instruction copied wrongly.",
        "v=spf1 inlcude:_spf.example.com -all";
    "spf.modifier-as-mechanism" => Error, "RFC 7208 §6",
        "redirect and exp are modifiers, written with '=' (redirect=domain), not with ':'.",
        "v=spf1 redirect:_spf.example.com";
    "spf.duplicate-modifier" => Error, "RFC 7208 §6",
        "redirect= or exp= appears more than once; receivers return permerror.",
        "v=spf1 redirect=a.example redirect=b.example";
    "spf.invalid-ip" => Error, "RFC 7208 §5.6",
        "An ip4 or ip6 value is not an address: an octet over 255, too few parts, or a typo.",
        "v=spf1 ip4:192.0.2.300 -all";
    "spf.invalid-prefix" => Error, "RFC 7208 §5.6",
        "A prefix length is out of range (IPv4 /0 to /32, IPv6 /0 to /128) or malformed.",
        "v=spf1 ip4:192.0.2.0/33 -all";
    "spf.invalid-domain" => Error, "RFC 7208 §7.1",
        "A domain in the record does not end in a valid top-level label (it is a single label, or ends in a number), so receivers return permerror.",
        "v=spf1 a:mailserver -all";
    "spf.macro-syntax" => Error, "RFC 7208 §7.1",
        "A '%' that does not start a valid macro (%{…}, %%, %_ or %-), or a macro letter that is not allowed there.",
        "v=spf1 exists:%{x}.example.com -all";
    "spf.not-ascii" => Error, "RFC 7208 §3.1",
        "The record has characters outside ASCII, often invisible ones from a word processor or a web page. Receivers return permerror.",
        "v=spf1 include:\\u200bexample.com -all (a zero-width space)";
    "spf.control-characters" => Error, "RFC 7208 §4.6.1",
        "The record has tabs or line breaks (a paste from a PDF or an email). Terms are separated by spaces only; as published this is a syntax error.",
        "v=spf1 ip4:192.0.2.1<line break>include:_spf.example.com -all";
    "spf.leading-space" => Error, "RFC 7208 §4.5",
        "The value starts with spaces. Published like this it does not begin with v=spf1, so receivers see no SPF record.",
        "' v=spf1 -all'";
    "spf.trailing-space" => Info, "RFC 7208 §4.5",
        "The value ends with spaces. That is legal, but some DNS provider forms keep them and some tools flag them.",
        "'v=spf1 -all '";
    "spf.quoted" => Info, "RFC 7208 §3.3",
        "The value was pasted with its quotes. Most DNS providers' forms want the text without quotes (they add them); zone files want them. mxray checked the text inside.",
        "\"v=spf1 -all\"";
    "spf.smart-quotes" => Warning, "RFC 7208 §3.3",
        "The value is wrapped in typographic quotes (“ ”), usually from a word processor or a chat app. Published with them, the record would not start with v=spf1.",
        "“v=spf1 -all”";
    "spf.zone-line" => Info, "RFC 1035 §5.1",
        "A whole zone-file line was pasted (name, TTL, class, TXT). The record value is the quoted text after TXT; the name goes in the provider's name or host field.",
        "example.com. 3600 IN TXT \"v=spf1 -all\"";
    "spf.split-strings" => Info, "RFC 7208 §3.3",
        "The value is split into several quoted strings. Receivers join them with nothing in between, so a space needed between two terms must be inside one of the strings.",
        "\"v=spf1 ip4:192.0.2.1 \" \"include:_spf.example.com -all\"";
    "spf.split-without-space" => Error, "RFC 7208 §3.3",
        "Two strings of the record join without a space between their terms: receivers read them glued together, which is a syntax error or a different name.",
        "\"v=spf1 ip4:192.0.2.1\" \"include:_spf.example.com -all\"";
    "spf.string-too-long" => Info, "RFC 7208 §3.3",
        "The record is longer than 255 bytes, the most one DNS string holds. It must be published as several strings; many DNS providers split it themselves, some do not. The fix shows it split.",
        "A record with many ip4 and include terms.";
    "spf.record-too-long" => Warning, "RFC 7208 §3.4",
        "The record is over 450 bytes. Together with other records at the name, DNS answers may exceed 512 bytes, which some receivers handle badly.",
        "A record listing dozens of ip4 networks.";
    "spf.all-pass" => Error, "RFC 7208 §5.1",
        "+all (or a bare all) authorizes every server on the internet to send as this domain: it is worse than no SPF record.",
        "v=spf1 +all";
    "spf.all-neutral" => Warning, "RFC 7208 §8.2",
        "?all says nothing about servers not listed: forgeries get the same result as no policy. Use ~all while testing, then -all.",
        "v=spf1 include:_spf.example.com ?all";
    "spf.no-all" => Warning, "RFC 7208 §4.7",
        "The record has neither an all mechanism nor a redirect, so servers not listed get neutral, as if there were no policy.",
        "v=spf1 include:_spf.example.com";
    "spf.ptr" => Warning, "RFC 7208 §5.5",
        "The ptr mechanism is slow, unreliable and SHOULD NOT be used; many receivers skip it. List the servers' addresses (ip4/ip6) or use a or mx.",
        "v=spf1 ptr -all";
    "spf.after-all" => Warning, "RFC 7208 §5.1",
        "Terms after all are never evaluated: all matches every address. A redirect after all is ignored too.",
        "v=spf1 -all include:_spf.example.com";
    "spf.redirect-with-all" => Warning, "RFC 7208 §6.1",
        "A record with all never uses its redirect: the redirect only applies when no mechanism matched.",
        "v=spf1 -all redirect=_spf.example.com";
    "spf.duplicate-include" => Warning, "RFC 7208 §4.6.4",
        "The same domain is included twice: it costs lookups against the limit of 10 and changes nothing.",
        "v=spf1 include:_spf.example.com include:_spf.example.com -all";
    "spf.duplicate-network" => Warning, "RFC 7208 §5.6",
        "The same network is listed twice.",
        "v=spf1 ip4:192.0.2.0/24 ip4:192.0.2.0/24 -all";
    "spf.overlapping-network" => Info, "RFC 7208 §5.6",
        "One listed network lies inside another, so the smaller one adds nothing.",
        "v=spf1 ip4:192.0.2.0/24 ip4:192.0.2.10 -all";
    "spf.wide-network" => Error, "RFC 7208 §5.6",
        "A network so wide it authorizes a large part of the internet (for example ip4:0.0.0.0/1): almost certainly a mistake in the prefix length.",
        "v=spf1 ip4:192.0.2.0/2 -all";
    "spf.unknown-modifier" => Info, "RFC 7208 §6",
        "A modifier receivers do not know is ignored. That is legal, but it is often a typo of redirect= or exp=.",
        "v=spf1 include:_spf.example.com redirct=_spf.example.net";
    "spf.lookup-limit" => Error, "RFC 7208 §4.6.4",
        "The policy needs more than 10 DNS lookups: every include, a, mx, ptr, exists and redirect costs one, in every included record too. Receivers stop at 10 and return permerror, so the domain's mail fails SPF everywhere. The finding says which branches cost what.",
        "v=spf1 include:_spf.google.com include:spf.protection.outlook.com include:sendgrid.net include:mailgun.org include:servers.mcsv.net -all";
    "spf.void-limit" => Error, "RFC 7208 §4.6.4",
        "More than 2 lookups of the policy find nothing (names that do not exist or have no address). Receivers return permerror.",
        "v=spf1 a:old1.example.com a:old2.example.com a:old3.example.com -all, none of which exist";
    "spf.include-no-spf" => Error, "RFC 7208 §5.2",
        "An include points at a name with no SPF record. Receivers return permerror for the whole policy, not just that include: often a typo, or a vendor name that changed.",
        "v=spf1 include:_spf.vendor-typo.example -all";
    "spf.redirect-no-spf" => Error, "RFC 7208 §6.1",
        "A redirect points at a name with no SPF record; receivers return permerror.",
        "v=spf1 redirect=_spf.missing.example";
    "spf.include-loop" => Error, "RFC 7208 §4.6.4",
        "Records include or redirect back to one another; the evaluation can only end at the lookup limit, with permerror.",
        "a.example includes b.example, which includes a.example";
    "spf.lookup-failed" => Warning, "RFC 7208 §4.4",
        "A record of the policy could not be fetched (timeout, SERVFAIL). Receivers would return temperror and may defer the mail; try again or ask another resolver.",
        "The DNS servers of an included domain do not answer.";
    "spf.not-recognised" => Error, "RFC 7208 §4.5",
        "A TXT record mentions v=spf1 but does not start with exactly v=spf1 and a space (quotes \
         published as part of the value, a leading space, text before the version), so \
         receivers see no SPF record at all. The fix is the record as it should be published.",
        "example.com. TXT \"\\\"v=spf1 include:_spf.example.com -all\\\"\" (the quotes are inside the value)";
    "spf.depends-on-sender" => Info, "RFC 7208 §7",
        "A term uses macros, so the name it looks up depends on the message being checked. It costs one lookup; what it authorizes can only be seen by testing a sender.",
        "v=spf1 exists:%{i}._spf.example.com -all";
    "dkim.syntax" => Error, "RFC 6376 §3.2",
        "The key record is not a list of name=value tags at the place shown. Verifiers may reject the whole record.",
        "v=DKIM1; k rsa; p=MIIB… (no '=' after k)";
    "dkim.duplicate-tag" => Error, "RFC 6376 §3.2",
        "A tag appears twice. A tag list with a repeated name is invalid as a whole, so verifiers treat the key as missing.",
        "v=DKIM1; p=MIIB…; p=MIIB…";
    "dkim.empty-tag" => Warning, "RFC 6376 §3.2",
        "Two ';' with nothing between them. The grammar does not allow it; strict verifiers reject the record.",
        "v=DKIM1;; p=MIIB…";
    "dkim.version" => Error, "RFC 6376 §3.6.1",
        "v= is present but is not exactly DKIM1, so verifiers discard the record.",
        "v=DKIM2; p=MIIB…";
    "dkim.version-not-first" => Error, "RFC 6376 §3.6.1",
        "v=DKIM1, when present, must be the first tag; verifiers discard a record where it is not.",
        "k=rsa; v=DKIM1; p=MIIB…";
    "dkim.unknown-key-type" => Error, "RFC 6376 §3.6.1",
        "k= names a key type verifiers do not know (rsa and ed25519 exist), so they cannot use the key.",
        "v=DKIM1; k=ed25519-sha256; p=…";
    "dkim.sha1-only" => Error, "RFC 8301 §3.1",
        "h= allows only SHA-1, which verifiers must no longer accept; every signature with this key fails.",
        "v=DKIM1; h=sha1; p=MIIB…";
    "dkim.unknown-hash" => Warning, "RFC 6376 §3.6.1",
        "h= names hash algorithms that do not exist; verifiers ignore them (and, if no known one is left, cannot use the key).",
        "v=DKIM1; h=sha512; p=MIIB…";
    "dkim.service" => Error, "RFC 6376 §3.6.1",
        "s= limits the key to services other than email, so email verifiers do not use it.",
        "v=DKIM1; s=tlsrpt; p=MIIB…";
    "dkim.testing" => Warning, "RFC 6376 §3.6.1",
        "t=y says the domain is testing DKIM: verifiers may treat failed signatures like unsigned mail. Remove it once signing works.",
        "v=DKIM1; t=y; p=MIIB…";
    "dkim.strict-subdomains" => Info, "RFC 6376 §3.6.1",
        "t=s: the i= of signatures made with this key must be exactly the signing domain, not a subdomain.",
        "v=DKIM1; t=s; p=MIIB…";
    "dkim.unknown-tag" => Info, "RFC 6376 §3.6.1",
        "A tag that is not part of key records (or DomainKeys' old g=); verifiers ignore it.",
        "v=DKIM1; g=*; p=MIIB…";
    "dkim.no-key" => Error, "RFC 6376 §3.6.1",
        "The record has no p= tag, so it holds no key.",
        "v=DKIM1; k=rsa";
    "dkim.revoked" => Warning, "RFC 6376 §3.6.1",
        "p= is empty, which means the key was revoked: every signature with this selector fails. Expected for a retired selector; wrong for one in use.",
        "v=DKIM1; p=";
    "dkim.key-whitespace" => Warning, "RFC 6376 §3.6.1",
        "The key has spaces or line breaks inside. The grammar allows them, but they usually come from a line-broken copy and some DNS forms and verifiers mishandle them. The fix is the record without them.",
        "v=DKIM1; p=MIIBIjANBgkq hkiG9w0BAQEF…";
    "dkim.key-base64" => Error, "RFC 6376 §3.6.1",
        "The key is not valid base64 at the place shown: a character that cannot be in a key, padding in the middle, or a length that does not make whole bytes. The key was damaged in copying.",
        "v=DKIM1; p=MIIBIjANBgkq…AQAB\" (a quote inside the key)";
    "dkim.key-damaged" => Error, "RFC 6376 §3.6.1",
        "The key decodes, but not to a valid public key: cut short, run together with other text, or changed. Verifiers cannot use it, and every signature fails.",
        "v=DKIM1; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHl (cut short)";
    "dkim.ed25519-spki" => Error, "RFC 8463 §4.2",
        "An Ed25519 key is published wrapped in a SubjectPublicKeyInfo; RFC 8463 publishes the bare 32 bytes and verifiers reject the wrapped form. The fix is the record with the bare key.",
        "v=DKIM1; k=ed25519; p=MCowBQYDK2VwAyEA…";
    "dkim.key-type-mismatch" => Error, "RFC 6376 §3.6.1",
        "The key in p= is not of the type k= says (an Ed25519 key without k=ed25519, or an RSA key with it).",
        "v=DKIM1; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo= (Ed25519, no k=)";
    "dkim.rsa-too-small" => Error, "RFC 8301 §3.2",
        "The RSA key is under 1024 bits; verifiers must reject it.",
        "A 512-bit RSA key.";
    "dkim.rsa-weak" => Warning, "RFC 8301 §3.2",
        "The RSA key is under 2048 bits. It still verifies, but 2048 bits is the recommended size; ask your provider for a new key.",
        "A 1024-bit RSA key (p=MIGf…).";
    "dkim.rsa-bare-key" => Info, "RFC 6376 §3.6.1",
        "The RSA key is a bare RSAPublicKey rather than the usual SubjectPublicKeyInfo. Most verifiers accept both.",
        "v=DKIM1; p=MIGJAoGBAL…";
    "dkim.zone-line" => Info, "RFC 1035 §5.1",
        "A whole zone-file line was pasted; the record value is the quoted text after TXT.",
        "sel._domainkey IN TXT \"v=DKIM1; p=MIIB…\"";
    "dkim.smart-quotes" => Error, "RFC 6376 §3.6.2.2",
        "The value is wrapped in typographic quotes (“ ”), usually from a word processor or chat; published with them, the record is not read.",
        "“v=DKIM1; p=MIIB…”";
    "dkim.split-strings" => Info, "RFC 6376 §3.6.2.2",
        "The value was pasted as several quoted strings; verifiers join them with nothing in between, and so does mxray.",
        "\"v=DKIM1; p=MIIBIjAN…\" \"…IDAQAB\"";
    "dkim.quoted" => Info, "RFC 1035 §5.1",
        "The value was pasted with its quotes. Most DNS providers' forms want the value without them.",
        "\"v=DKIM1; p=MIIB…\"";
    "dkim.string-too-long" => Error, "RFC 1035 §3.3",
        "The record is longer than the 255 bytes one DNS string holds. Most DNS providers' forms split it for you; a zone file or an API needs it written as several quoted strings. The fix is the record split.",
        "A 2048-bit key record (about 410 bytes) in one string.";
    "dkim.not-a-key" => Error, "RFC 6376 §3.6.2.2",
        "The selector's name has TXT records but none is a DKIM key (none starts with v=DKIM1 or has p=).",
        "sel._domainkey.example.com TXT \"google-site-verification=…\"";
    "dkim.multiple-records" => Error, "RFC 6376 §3.6.2.2",
        "The selector has more than one key record; verifiers may use either, so signatures fail at random.",
        "Two TXT records with different p= at sel._domainkey.example.com.";
    "dkim.lookup-failed" => Warning, "RFC 6376 §3.6.2.2",
        "The key could not be looked up (timeout, SERVFAIL). Verifiers would return a temporary error.",
        "The domain's DNS servers do not answer.";
    "dkim.delegated" => Info, "RFC 6376 §3.6.2.1",
        "The selector is a CNAME to a name your mail provider controls; they host and rotate the key.",
        "selector1._domainkey.example.com CNAME selector1-example-com._domainkey.example.onmicrosoft.com.";
    "dkim.no-record" => Error, "RFC 6376 §3.6.2.1",
        "There is no key at the selector's name, so every signature with it fails. The usual wrong names were checked too and nothing was found there.",
        "No TXT record at sel._domainkey.example.com.";
    "dkim.misplaced" => Error, "RFC 6376 §3.6.2.1",
        "The key was found at a wrong name (the domain added twice by a DNS form, _domainkey glued to the selector, no selector, or the domain itself), so verifiers do not find it. The fix is the record at the right name.",
        "sel._domainkey.example.com.example.com TXT \"v=DKIM1; p=…\"";
    "dkim.no-common-selector" => Warning, "RFC 6376 §3.6.2.1",
        "No key was found at any common selector. Selectors cannot be listed, so this does not prove there is none: enter your selector or paste a DKIM-Signature header.",
        "example.com with keys only at a custom selector.";
    "dmarc.syntax" => Error, "RFC 7489 §6.4",
        "The record is not a list of tag=value pairs at the place shown; receivers discard what they cannot read.",
        "v=DMARC1; p reject";
    "dmarc.duplicate-tag" => Error, "RFC 6376 §3.2",
        "A tag appears twice. DMARC uses DKIM's tag-list rules (RFC 7489 §6.4), under which a repeated tag makes the list invalid.",
        "v=DMARC1; p=none; p=reject";
    "dmarc.empty-tag" => Warning, "RFC 7489 §6.4",
        "Two ';' with nothing between them. The grammar does not allow it; most receivers skip it, strict ones reject the record.",
        "v=DMARC1;; p=reject";
    "dmarc.version" => Error, "RFC 9989 §4.7",
        "The record does not start with exactly v=DMARC1 (first, upper-case), so receivers discard it as if it were not there.",
        "p=reject; v=DMARC1";
    "dmarc.invalid-value" => Error, "RFC 9989 §4.8",
        "A tag has a value its grammar does not allow; receivers use the tag's default instead (for p=, RFC 7489 receivers ignore the whole record).",
        "v=DMARC1; p=rejected";
    "dmarc.pct" => Warning, "RFC 7489 §6.3",
        "pct under 100 applies the policy to only part of failing mail under RFC 7489. RFC 9989 removed pct: its receivers apply the policy to all failing mail (pct=0 reads as t=y).",
        "v=DMARC1; p=reject; pct=20";
    "dmarc.removed-tag" => Info, "RFC 9989 §4.7",
        "pct, rf and ri were removed by RFC 9989; receivers that follow it ignore them, RFC 7489 receivers still read them.",
        "v=DMARC1; p=reject; ri=86400";
    "dmarc.testing" => Warning, "RFC 9989 §4.7",
        "t=y asks receivers not to apply the policy yet (test mode). Remove it to enforce.",
        "v=DMARC1; p=reject; t=y";
    "dmarc.unknown-tag" => Warning, "RFC 9989 §4.7",
        "A tag DMARC does not define; receivers ignore it. Usually a typo of a real tag, which then has no effect.",
        "v=DMARC1; policy=reject";
    "dmarc.no-policy" => Error, "RFC 9989 §4.10.1",
        "There is no p= tag. RFC 7489 makes the record invalid; RFC 9989 reads it as p=none when rua= holds a valid address, and otherwise applies no DMARC.",
        "v=DMARC1; rua=mailto:dmarc@example.com";
    "dmarc.monitoring" => Warning, "RFC 9989 §4.7",
        "p=none is monitoring only: receivers report but do nothing with mail that fails DMARC, so spoofing still reaches inboxes. Move to quarantine, then reject.",
        "v=DMARC1; p=none; rua=mailto:dmarc@example.com";
    "dmarc.policy-not-second" => Info, "RFC 7489 §6.4",
        "RFC 7489's grammar puts p= right after v=DMARC1. RFC 9989 allows any order, but some older receivers still expect p second.",
        "v=DMARC1; rua=mailto:dmarc@example.com; p=reject";
    "dmarc.sp-weaker" => Warning, "RFC 9989 §4.7",
        "sp= (subdomains) is weaker than p=: forgers can use any subdomain, which need not exist, to get the weaker treatment.",
        "v=DMARC1; p=reject; sp=none";
    "dmarc.np-weaker" => Warning, "RFC 9989 §4.7",
        "np= (subdomains that do not exist) is weaker than the policy for existing ones, though only forgers send from names that do not exist.",
        "v=DMARC1; p=reject; np=none";
    "dmarc.no-rua" => Warning, "RFC 9989 §4.7",
        "No rua=: no receiver sends aggregate reports, so you cannot see who sends as your domain or whether your own mail passes.",
        "v=DMARC1; p=quarantine";
    "dmarc.fo-without-ruf" => Info, "RFC 9989 §4.7",
        "fo= chooses when failure reports are sent, but there is no ruf= to send them to.",
        "v=DMARC1; p=reject; fo=1";
    "dmarc.psd" => Warning, "RFC 9989 §4.7",
        "psd=y declares the domain a public suffix: receivers then treat each subdomain as its own organization. Only public suffix operators (registries) publish it.",
        "v=DMARC1; p=reject; psd=y at _dmarc.example.com";
    "dmarc.report-uri" => Error, "RFC 9989 §4.6",
        "A report address is not a valid URI: no mailto:, no @, a bad domain, an empty entry, or a malformed size limit. Receivers skip it.",
        "v=DMARC1; p=none; rua=dmarc@example.com";
    "dmarc.size-limit" => Info, "RFC 7489 §6.2",
        "A report address carries a size limit (!10m). RFC 7489 defines it; RFC 9989 removed it and its receivers ignore it.",
        "rua=mailto:dmarc@example.com!10m";
    "dmarc.zone-line" => Info, "RFC 1035 §5.1",
        "A whole zone-file line was pasted; the record value is the quoted text after TXT.",
        "_dmarc IN TXT \"v=DMARC1; p=none\"";
    "dmarc.smart-quotes" => Error, "RFC 9989 §4.7",
        "The value is wrapped in typographic quotes (“ ”); published with them, it does not start with v=DMARC1 and receivers skip it.",
        "“v=DMARC1; p=reject”";
    "dmarc.split-strings" => Info, "RFC 9989 §4.5",
        "The value was pasted as several quoted strings; receivers join them with nothing in between, and so does mxray.",
        "\"v=DMARC1; p=reject; \" \"rua=mailto:dmarc@example.com\"";
    "dmarc.quoted" => Info, "RFC 1035 §5.1",
        "The value was pasted with its quotes. Most DNS providers' forms want it without.",
        "\"v=DMARC1; p=reject\"";
    "dmarc.lookup-failed" => Warning, "RFC 9989 §4.10.1",
        "The DMARC record could not be looked up (timeout, SERVFAIL). What receivers do then is up to them: some deliver, some defer.",
        "The domain's DNS servers do not answer.";
    "dmarc.multiple-records" => Error, "RFC 9989 §4.10",
        "More than one DMARC record at the same name: receivers discard them all, as if there were none.",
        "Two TXT records starting v=DMARC1 at _dmarc.example.com.";
    "dmarc.not-recognised" => Error, "RFC 9989 §4.10",
        "A TXT record at _dmarc mentions DMARC1 but does not start with exactly v=DMARC1 (quotes inside the value, a leading space, lower case), so receivers skip it. The fix is the record to publish.",
        "_dmarc.example.com TXT \"\\\"v=DMARC1; p=reject\\\"\"";
    "dmarc.report-lookup-failed" => Warning, "RFC 7489 §7.1",
        "Whether a report destination accepts the domain's reports could not be checked (a lookup failed).",
        "The report service's DNS servers do not answer.";
    "dmarc.report-unauthorized" => Error, "RFC 7489 §7.1",
        "Reports go to a domain of another organization that publishes no authorization record (<domain>._report._dmarc.<destination>, or its * wildcard), so receivers do not send them there. The fix is the record the destination must publish.",
        "rua=mailto:reports@vendor.example without example.com._report._dmarc.vendor.example";
    "dmarc.misplaced" => Error, "RFC 9989 §4.10",
        "A DMARC record is published at a wrong name (dmarc.<domain> without the underscore, or _dmarc.<domain>.<domain> from a DNS form that adds the domain), where receivers never look. The fix is the record at _dmarc.<domain>.",
        "dmarc.example.com TXT \"v=DMARC1; p=reject\"";
    "dmarc.no-record" => Error, "RFC 9989 §4.10.1",
        "No DMARC policy applies: nothing at _dmarc.<domain> or on the way up the tree. Receivers apply no DMARC, anyone can send as the domain, and no reports are sent. Start with p=none and a rua= address.",
        "example.com with no _dmarc record.";
    "dmarc.inherited" => Info, "RFC 9989 §4.10.1",
        "The domain has no DMARC record of its own; the policy of its organizational domain (or public suffix) applies, through sp= (or p=).",
        "mail.example.com, covered by _dmarc.example.com.";
    "spf.sender-not-authorized" => Error, "RFC 7208 §2.6",
        "The sending address given with the check is not authorized by the domain's SPF policy: receivers get fail, softfail, neutral or none for mail from it. Add the address (or the include your provider gives) to the record.",
        "Checking 203.0.113.5 against \"v=spf1 include:_spf.google.com -all\".";
    "mx.lookup-failed" => Warning, "RFC 5321 §5.1",
        "The resolver gave no answer about the domain's MX records, so nothing can be said about where its mail goes. Try again or with another resolver.",
        "SERVFAIL for example.com MX.";
    "mx.none" => Warning, "RFC 5321 §5.1",
        "The domain has no MX records. Senders then deliver to the domain's own A/AAAA address, usually a web server, or fail. Publish your provider's MX records, or a null MX if the domain receives no mail.",
        "example.com has an A record but no MX.";
    "mx.null" => Info, "RFC 7505 §3",
        "A null MX (preference 0, target \".\") says the domain accepts no mail: senders bounce at once instead of retrying for days.",
        "example.com. MX 0 .";
    "mx.null-with-others" => Error, "RFC 7505 §3",
        "A null MX must be the only MX record. Beside others, senders may bounce mail the other hosts would accept.",
        "example.com. MX 0 . and example.com. MX 10 mail.example.com.";
    "mx.null-spf" => Warning, "RFC 7505 §4.2",
        "The domain says it accepts no mail (null MX) but its SPF policy is not \"v=spf1 -all\". A domain that receives no mail should say it sends none, so forgeries fail.",
        "Null MX with \"v=spf1 include:_spf.example.net ~all\".";
    "mx.no-ipv6" => Info, "RFC 5321 §5.1",
        "No MX host has an IPv6 address. Mail from IPv6-only senders cannot reach the domain; most mail still arrives over IPv4.",
        "mail.example.com has an A record and no AAAA.";
    "mx.no-reachable-host" => Error, "RFC 5321 §5.1",
        "None of the MX hosts has an address, so mail to the domain cannot be delivered anywhere.",
        "example.com. MX 10 mail.example.con.";
    "mx.target-ip" => Error, "RFC 1035 §3.3.9",
        "An MX record must name a host, not an IP address. Senders look the address up as a name, find nothing, and cannot deliver.",
        "example.com. MX 10 192.0.2.25.";
    "mx.target-cname" => Warning, "RFC 2181 §10.3",
        "The MX host is an alias (CNAME). MX records must point at a name with A/AAAA records; some senders refuse aliases, and TLS names may not match.",
        "example.com. MX 10 mail.example.com. with mail.example.com. CNAME mx.provider.example.";
    "mx.private-address" => Error, "RFC 5321 §5.1",
        "An MX host resolves to a private, loopback or otherwise unreachable address: senders on the Internet cannot deliver there.",
        "mail.example.com. A 10.0.0.5";
    "mx.target-missing" => Error, "RFC 5321 §5.1",
        "The MX host does not exist or has no address, often a typo: mail to the domain cannot be delivered there.",
        "example.com. MX 10 mial.example.com.";
    "mx.target-failed" => Warning, "RFC 5321 §5.1",
        "The addresses of an MX host could not be looked up; nothing can be said about it until the resolver answers.",
        "SERVFAIL for mail.example.com A.";
    "mx.target-origin-appended" => Error, "RFC 1035 §5.1",
        "The MX host is a real name with the domain appended: the record was entered without a trailing dot, and the zone file or DNS provider added the domain. The fix is the name as the provider gave it.",
        "example.com. MX 10 mx.provider.net.example.com.";
    "mx.tld-missing" => Error, "RFC 1034 §3.1",
        "The MX host ends in a top-level domain that does not exist, so it cannot resolve: a typo such as a hyphen for a dot.",
        "example.com. MX 10 mail-net.";
    "rdns.lookup-failed" => Warning, "RFC 8601 §3",
        "The PTR question for the address got no answer; its reverse DNS is unknown.",
        "SERVFAIL for 25.2.0.192.in-addr.arpa PTR.";
    "rdns.missing" => Warning, "RFC 1912 §2.1",
        "The address has no PTR record. Receivers reject or mark mail from addresses without reverse DNS; for a sending address it is an error. The PTR is set by whoever owns the address block (the hosting or Internet provider).",
        "No PTR at 25.2.0.192.in-addr.arpa.";
    "rdns.multiple" => Info, "RFC 8601 §3",
        "The address has several PTR names. Receivers usually check one of them, chosen by the resolver: keep one.",
        "25.2.0.192.in-addr.arpa. PTR mail.example.com. and PTR www.example.com.";
    "rdns.not-confirmed" => Warning, "RFC 8601 §3",
        "The PTR name does not resolve back to the address (the iprev check fails). Receivers treat that like no reverse DNS at all. Add the address to the name, or change the PTR.",
        "192.0.2.25 has PTR mail.example.com, which resolves to 192.0.2.99.";
    "rdns.generic" => Warning, "RFC 1912 §2.1",
        "The PTR name looks like a provider's generic name for a dynamic or customer address (it spells the address or says dsl, pool, dynamic...). Receivers often reject such mail: ask for a PTR that names your mail server.",
        "192-0-2-25.dsl.isp.example";
    "srv.name" => Error, "RFC 6335 §5.1",
        "An SRV name takes the form _service._proto (two labels starting with an underscore).",
        "xmpp-client.tcp instead of _xmpp-client._tcp";
    "srv.lookup-failed" => Warning, "RFC 2782",
        "The SRV question, or the address of its target, got no answer.",
        "SERVFAIL for _imaps._tcp.example.com SRV.";
    "srv.not-offered" => Info, "RFC 2782",
        "An SRV target of \".\" says the service is decidedly not offered at the domain; mixed with real targets, it confuses clients.",
        "_pop3._tcp.example.com. SRV 0 0 0 .";
    "srv.port" => Info, "RFC 6186 §3",
        "The SRV record sends clients to a port other than the service's usual one. Fine if the server listens there; a typo otherwise.",
        "_imaps._tcp.example.com. SRV 0 1 143 mail.example.com. (IMAPS is 993)";
    "srv.target-ip" => Error, "RFC 2782",
        "An SRV target must be a host name with address records, not an IP address.",
        "_imaps._tcp.example.com. SRV 0 1 993 192.0.2.10.";
    "srv.target-cname" => Warning, "RFC 2782",
        "An SRV target must not be an alias (CNAME); some clients fail on it. Point the record at the name the alias leads to.",
        "_submissions._tcp.example.com. SRV 0 1 465 mail.example.com. with mail.example.com a CNAME.";
    "srv.target-missing" => Error, "RFC 2782",
        "The SRV target does not exist or has no address: clients that follow the record cannot connect.",
        "_imaps._tcp.example.com. SRV 0 1 993 imap.exmaple.com.";
    "client.none" => Info, "RFC 6186 §3",
        "The domain publishes nothing mail apps use to configure themselves (autoconfig, autodiscover, or RFC 6186 SRV records), so users type server names and ports by hand.",
        "No autoconfig.example.com, autodiscover.example.com or _imaps._tcp.example.com.";
    "client.no-implicit-tls" => Info, "RFC 8314 §3.3",
        "A STARTTLS service is published without its implicit-TLS counterpart. RFC 8314 asks mail clients to use implicit TLS (ports 465, 993, 995) where offered.",
        "_imap._tcp published, _imaps._tcp missing.";
    "client.private-address" => Error, "RFC 6186 §3",
        "autoconfig or autodiscover resolves to an address the Internet cannot reach, so mail apps outside the network cannot set themselves up.",
        "autodiscover.example.com. A 192.168.1.10";
    "mta-sts.lookup-failed" => Warning, "RFC 8461 §3.1",
        "The _mta-sts TXT question got no answer; nothing can be said about MTA-STS until it does.",
        "SERVFAIL for _mta-sts.example.com TXT.";
    "mta-sts.none" => Info, "RFC 8461 §3.1",
        "No MTA-STS record: senders deliver over TLS when they can but fall back to plain text if an attacker strips it. MTA-STS (with a policy file on https://mta-sts.<domain>) makes TLS required.",
        "No TXT record at _mta-sts.example.com.";
    "mta-sts.multiple-records" => Error, "RFC 8461 §3.1",
        "More than one TXT record at _mta-sts starts with v=STSv1; senders then act as if there were none.",
        "Two records with different id= values.";
    "mta-sts.syntax" => Error, "RFC 8461 §3.1",
        "The MTA-STS record is not a valid list of key=value fields separated by ';'.",
        "v=STSv1 id=20240101 (missing ';')";
    "mta-sts.version" => Error, "RFC 8461 §3.1",
        "The record must start with v=STSv1, written exactly so; otherwise senders ignore it.",
        "id=20240101; v=STSv1";
    "mta-sts.id" => Error, "RFC 8461 §3.1",
        "The record needs id= with 1 to 32 letters and digits; senders re-fetch the policy when it changes. Change it whenever the policy changes.",
        "v=STSv1; id=2024-01-01";
    "mta-sts.policy-host-missing" => Error, "RFC 8461 §3.3",
        "The record is published but mta-sts.<domain> has no address, so no sender can fetch the policy and MTA-STS does nothing.",
        "_mta-sts.example.com TXT published, mta-sts.example.com does not exist.";
    "mta-sts.policy-not-read" => Info, "RFC 8461 §3.3",
        "The policy file was not read, and that says nothing about the domain: mxray's page talks to nothing but the DNS resolver unless its deployment allows more (its Content-Security-Policy), and even then a browser lets a page read another site's file only when that site allows it (CORS), which few policy hosts do. The terminal command reads it; or paste the policy to check it.",
        "https://mta-sts.example.com/.well-known/mta-sts.txt, checked in the browser.";
    "mta-sts.policy-fetch-failed" => Error, "RFC 8461 §3.3",
        "The policy file could not be fetched as senders fetch it: over HTTPS, status 200, no redirects, Content-Type text/plain. Senders then ignore MTA-STS.",
        "https://mta-sts.example.com/.well-known/mta-sts.txt answers 404.";
    "mta-sts.policy-syntax" => Error, "RFC 8461 §3.2",
        "The policy file is not \"key: value\" lines with version: STSv1, mode, max_age and mx: lines; senders ignore a policy they cannot read.",
        "An HTML error page served as the policy.";
    "mta-sts.max-age" => Warning, "RFC 8461 §3.2",
        "max_age is how long senders remember the policy, in seconds. Under a day gives little protection; over 31557600 is invalid. A week or more is usual once the policy works.",
        "max_age: 300";
    "mta-sts.testing" => Info, "RFC 8461 §5",
        "mode: testing: senders report TLS failures but still deliver without protection. Move to enforce once TLS reports are clean.",
        "mode: testing";
    "mta-sts.mode-none" => Warning, "RFC 8461 §5",
        "mode: none switches MTA-STS off; senders forget the earlier policy.",
        "mode: none";
    "mta-sts.mx-not-covered" => Error, "RFC 8461 §4.1",
        "An MX host matches no mx: line of the policy. In enforce mode senders will not deliver to it; add an mx: line for it.",
        "MX mail.example.com with the policy listing only mx: mx1.example.com.";
    "tlsrpt.lookup-failed" => Warning, "RFC 8460 §3",
        "The _smtp._tls TXT question got no answer.",
        "SERVFAIL for _smtp._tls.example.com TXT.";
    "tlsrpt.none" => Info, "RFC 8460 §3",
        "No TLS-RPT record: nobody learns when senders fail to deliver securely. With MTA-STS published, this is a warning.",
        "No TXT record at _smtp._tls.example.com.";
    "tlsrpt.multiple-records" => Error, "RFC 8460 §3",
        "More than one TLS-RPT record; senders may ignore them all.",
        "Two TXT records starting with v=TLSRPTv1.";
    "tlsrpt.syntax" => Error, "RFC 8460 §3",
        "The TLS-RPT record is not a valid list of key=value fields separated by ';'.",
        "v=TLSRPTv1 rua=mailto:tls@example.com (missing ';')";
    "tlsrpt.version" => Error, "RFC 8460 §3",
        "The record must start with v=TLSRPTv1, exactly.",
        "v=tlsrptv1; rua=mailto:tls@example.com";
    "tlsrpt.no-rua" => Error, "RFC 8460 §3",
        "The record has no rua=, so no report is sent anywhere.",
        "v=TLSRPTv1";
    "tlsrpt.bad-uri" => Error, "RFC 8460 §3",
        "A report destination is not a mailto: address or an https: URL.",
        "v=TLSRPTv1; rua=tls@example.com";
    "bimi.lookup-failed" => Warning, "draft-brand-indicators-for-message-identification §4.2",
        "The default._bimi TXT question got no answer.",
        "SERVFAIL for default._bimi.example.com TXT.";
    "bimi.none" => Info, "draft-brand-indicators-for-message-identification §4.2",
        "No BIMI record: mailbox providers that support BIMI show no brand logo. Optional; it needs DMARC at enforcement first.",
        "No TXT record at default._bimi.example.com.";
    "bimi.multiple-records" => Error, "draft-brand-indicators-for-message-identification §4.2",
        "More than one BIMI record at the name; receivers ignore them all.",
        "Two TXT records starting with v=BIMI1.";
    "bimi.syntax" => Error, "draft-brand-indicators-for-message-identification §4.2",
        "The BIMI record is not a valid list of tag=value pairs separated by ';'.",
        "v=BIMI1 l=https://example.com/logo.svg (missing ';')";
    "bimi.version" => Error, "draft-brand-indicators-for-message-identification §4.2",
        "The record must start with v=BIMI1, exactly.",
        "l=https://example.com/logo.svg; v=BIMI1";
    "bimi.declined" => Info, "draft-brand-indicators-for-message-identification §4.2",
        "An empty l= says the domain declines to show a logo.",
        "v=BIMI1; l=;";
    "bimi.logo-url" => Error, "draft-brand-indicators-for-message-identification §4.2",
        "The logo (l=) must be an https: URL of an SVG Tiny Portable/Secure file.",
        "l=http://example.com/logo.png";
    "bimi.authority-url" => Error, "draft-brand-indicators-for-message-identification §4.2",
        "The authority evidence (a=) must be an https: URL of a PEM file holding a Verified or Common Mark Certificate.",
        "a=https://example.com/vmc.crt";
    "bimi.no-authority" => Warning, "draft-brand-indicators-for-message-identification §4.2",
        "No a= (no VMC or CMC certificate). Gmail and Apple Mail show logos only with one.",
        "v=BIMI1; l=https://example.com/logo.svg";
    "bimi.dmarc-not-enforced" => Error, "draft-brand-indicators-for-message-identification §3",
        "BIMI logos are shown only when the domain's DMARC policy is quarantine or reject for all mail (pct=100); with p=none or no DMARC, no provider shows the logo.",
        "default._bimi published with \"v=DMARC1; p=none\".";
    "dnssec.validated" => Info, "RFC 4035 §3.2.3",
        "The resolver set the AD bit on every answer about the domain: it validated them with DNSSEC. This is the resolver's statement; the page does not check signatures itself.",
        "Answers from a validating resolver for a signed zone.";
    "dnssec.not-validated" => Info, "RFC 4035 §3.2.3",
        "No answer about the domain had the AD bit: the zone is most likely unsigned, or the resolver does not validate. DNSSEC is optional; MTA-STS protects delivery without it.",
        "An unsigned zone.";
    "dnssec.partial" => Info, "RFC 4035 §3.2.3",
        "Some answers about the domain were validated and some not: parts of the tree are delegated to unsigned zones.",
        "A signed apex with an unsigned delegated subdomain.";
    "dnssec.bogus" => Error, "RFC 8914 §4",
        "The resolver refused answers because their DNSSEC signatures did not validate (an Extended DNS Error says so). Everyone behind a validating resolver gets no answer: fix the signatures or the DS record at the registrar.",
        "SERVFAIL with EDE 6 (DNSSEC Bogus).";
}

/// Looks a code up in the catalog.
pub fn catalog_entry(code: &str) -> Option<&'static CatalogEntry> {
    CATALOG.iter().find(|e| e.code == code)
}

/// Where the text a finding rests on can be read: `RFC 7208 §4.6.4` →
/// `https://www.rfc-editor.org/rfc/rfc7208#section-4.6.4`, a `draft-…` name → its
/// datatracker page.
pub fn rfc_url(rfc: &str) -> Option<String> {
    let (doc, section) = match rfc.split_once(" §") {
        Some((d, s)) => (d.trim(), Some(s.trim())),
        None => (rfc.trim(), None),
    };
    let anchor = section
        .filter(|s| s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.'))
        .map(|s| format!("#section-{s}"))
        .unwrap_or_default();
    if let Some(number) = doc.strip_prefix("RFC ")
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
    {
        return Some(format!(
            "https://www.rfc-editor.org/rfc/rfc{number}{anchor}"
        ));
    }
    if doc.starts_with("draft-")
        && doc
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Some(format!("https://datatracker.ietf.org/doc/{doc}/"));
    }
    None
}

/// For tests: the codes of `findings`, and the one with `code`.
#[cfg(test)]
pub(crate) mod test_support {
    use super::Finding;

    pub(crate) fn codes(findings: &[Finding]) -> Vec<&'static str> {
        findings.iter().map(|f| f.code).collect()
    }

    pub(crate) fn finding<'a>(findings: &'a [Finding], code: &str) -> &'a Finding {
        findings
            .iter()
            .find(|f| f.code == code)
            .unwrap_or_else(|| panic!("{code} not in {:?}", codes(findings)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_codes_are_unique_and_well_formed() {
        let mut seen = std::collections::BTreeSet::new();
        for entry in CATALOG {
            assert!(seen.insert(entry.code), "duplicate code {}", entry.code);
            let (area, rest) = entry.code.split_once('.').expect("codes are area.name");
            assert!(!area.is_empty() && !rest.is_empty());
            assert!(
                entry
                    .code
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-.".contains(&b)),
                "code {} uses only lowercase, digits, '-' and '.'",
                entry.code
            );
            assert!(
                entry.rfc.starts_with("RFC ") || entry.rfc.starts_with("draft-"),
                "{} names its RFC",
                entry.code
            );
        }
    }

    #[test]
    fn findings_serialise_to_the_shared_json_shape() {
        let f = Finding::new("spf.all-pass", "say \"hi\"\n")
            .at(7..11)
            .fix("v=spf1 -all");
        assert_eq!(
            f.to_json(),
            r#"{"code":"spf.all-pass","severity":"error","message":"say \"hi\"\n","rfc":"RFC 7208 §5.1","span":{"start":7,"end":11},"fix":"v=spf1 -all"}"#
        );
        assert_eq!(json_string("\u{1}"), r#""\u0001""#);
    }

    #[test]
    fn segments_cut_text_at_every_span() {
        let text = "v=spf1 ptr +all";
        let findings = [
            Finding::new("spf.ptr", "x").at(7..10),
            Finding::new("spf.all-pass", "y").at(11..15),
            Finding::new("spf.after-all", "z").at(13..15),
            Finding::new("spf.no-all", "no span"),
            Finding::new("spf.syntax", "out of range").at(10..99),
        ];
        let parts = segments(text, &findings);
        let shown: Vec<(&str, Option<Severity>)> = parts
            .iter()
            .map(|s| (s.text.as_str(), s.severity))
            .collect();
        assert_eq!(
            shown,
            [
                ("v=spf1 ", None),
                ("ptr", Some(Severity::Warning)),
                (" ", None),
                ("+a", Some(Severity::Error)),
                ("ll", Some(Severity::Error)),
            ]
        );
        assert_eq!(parts[4].codes, ["spf.all-pass", "spf.after-all"]);
        assert_eq!(
            parts.iter().map(|p| p.text.as_str()).collect::<String>(),
            text
        );
        assert_eq!(segments("", &findings), []);
    }

    #[test]
    fn catalog_lookup_finds_known_codes_only() {
        assert_eq!(
            catalog_entry("dns.malformed-response").map(|e| e.severity),
            Some(Severity::Error)
        );
        assert!(catalog_entry("no.such-code").is_none());
    }

    #[test]
    fn every_catalog_reference_has_a_link_and_codes_are_unique() {
        for e in CATALOG {
            assert!(rfc_url(e.rfc).is_some(), "{} cites {:?}", e.code, e.rfc);
            assert!(
                !e.explanation.is_empty() && !e.example.is_empty(),
                "{}",
                e.code
            );
            assert_eq!(
                CATALOG.iter().filter(|o| o.code == e.code).count(),
                1,
                "{}",
                e.code
            );
        }
        assert_eq!(
            rfc_url("RFC 7208 §4.6.4").as_deref(),
            Some("https://www.rfc-editor.org/rfc/rfc7208#section-4.6.4")
        );
        assert_eq!(
            rfc_url("RFC 2782").as_deref(),
            Some("https://www.rfc-editor.org/rfc/rfc2782")
        );
    }
}
