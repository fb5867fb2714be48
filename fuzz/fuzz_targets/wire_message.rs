//! Any bytes into the DNS message parser: no panic, whatever decodes also prints, and encoding
//! a decoded message decodes back to the same message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mxray_core::dns::{Message, Outcome};

fuzz_target!(|data: &[u8]| {
    if let Ok(msg) = Message::from_wire(data) {
        for record in msg.answers.iter().chain(&msg.authority).chain(&msg.additional) {
            let _ = record.data.to_string();
            let _ = record.name.to_fqdn();
            let _ = Outcome::from_message(&msg, record.rtype);
        }
        let again = Message::from_wire(&msg.to_wire());
        assert_eq!(again.as_ref(), Ok(&msg), "encode then decode changed the message");
    }
});
