//! The form pieces every page shares: the domain field, a paste box whose text lives in the
//! URL (so nothing typed is lost on reload and a pasted record is a link), and the editable
//! copy of a URL parameter that fields show.

use leptos::prelude::*;

use crate::route::use_router;

/// An editable copy of a URL parameter: it starts as the parameter, follows it when the URL
/// changes (back, forward, a link), and holds what is typed until the form is submitted.
pub(crate) fn editable(param: Memo<String>) -> RwSignal<String> {
    let input = RwSignal::new(param.get_untracked());
    Effect::new(move |_| input.set(param.get()));
    input
}

/// The labelled "Domain" input of a page's form.
#[component]
pub(crate) fn DomainField(id: &'static str, value: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="field field--grow">
            <label for=id>"Domain"</label>
            <input id=id name="domain" type="text" inputmode="url" autocomplete="off"
                autocapitalize="off" spellcheck="false" placeholder="example.com" required
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
        </div>
    }
}

/// A paste box checked as it is typed: its text is `value` and the URL parameter `param`
/// (replaced in place, so the other parameters stay).
#[component]
pub(crate) fn PasteField(
    id: &'static str,
    param: &'static str,
    label: &'static str,
    placeholder: &'static str,
    rows: u32,
    value: RwSignal<String>,
) -> impl IntoView {
    let router = use_router();
    view! {
        <div class="field paste">
            <label for=id>{label}</label>
            <textarea id=id rows=rows spellcheck="false" autocomplete="off" placeholder=placeholder
                prop:value=move || value.get()
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    value.set(text.clone());
                    router.replace_param(param, &text);
                }></textarea>
        </div>
    }
}
