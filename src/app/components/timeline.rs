//! The timeline: posts per year, month or day under every filter but the dates, as bars
//! ([`crate::timeline`] counts them). Clicking a bar chooses its dates and zooms into it
//! (a year shows its months, a month its days); dragging across bars, or Shift with a
//! click or Enter, chooses the range between. The chosen range's bars stand out.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::app::browser;
use crate::app::hooks::use_reader;
use crate::day::day_string;
use crate::filter::{Filters, Listing};
use crate::timeline::{counted_bins, natural_zoom, selection, Bin, Zoom};

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub listing: Rc<Listing>,
    pub filters: Filters,
    pub onchange: Callback<Filters>,
}

#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let reader = use_reader();
    let t = &reader.texts;
    let range = props.filters.day_range();
    let chosen = match range {
        (Some(from), Some(to)) => Some((from, to)),
        _ => None,
    };
    // The zoom follows the range chosen, unless the reader zoomed out since.
    let zoomed = use_state(|| None::<Zoom>);
    {
        let zoomed = zoomed.clone();
        use_effect_with(range, move |_| zoomed.set(None));
    }
    let zoom = zoomed.unwrap_or_else(|| natural_zoom(chosen));
    let bins =
        use_memo((props.listing.clone(), zoom), |(listing, zoom)| counted_bins(listing.days.iter().copied(), *zoom));
    let max = bins.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let bars = use_node_ref();
    // Bar heights through the CSSOM: the CSP allows no inline style attributes.
    {
        let bars = bars.clone();
        use_effect(move || {
            let Some(list) = bars.cast::<HtmlElement>() else { return };
            let Ok(fills) = list.query_selector_all(".bar-fill") else { return };
            for i in 0..fills.length() {
                let Some(fill) = fills.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok()) else { continue };
                let percent = fill.get_attribute("data-percent").unwrap_or_default();
                let _ = fill.style().set_property("height", &format!("{percent}%"));
            }
        });
    }

    // A drag: where it started (the bar under the pointer when it went down).
    let anchor = use_mut_ref(|| None::<usize>);
    let hover = use_state(|| None::<usize>);
    let choose = {
        let (onchange, bins) = (props.onchange.clone(), bins.clone());
        move |a: usize, b: usize| {
            if let Some((first, last)) = selection(&bins, a, b) {
                let filters =
                    Filters { from: Some(day_string(first)), to: Some(day_string(last)), ..browser::current_filters() };
                onchange.emit(filters);
            }
        }
    };
    // Shift with Enter extends from the bar chosen last by keyboard.
    let keyboard_anchor = use_mut_ref(|| Cell::new(None::<usize>));

    let heading = match zoom {
        Zoom::Years => t.text("timeline-years").to_string(),
        Zoom::Months { .. } | Zoom::Days { .. } => {
            bins.first().map(|b| t.period(b.first, zoom_out_of(zoom)).0).unwrap_or_default()
        }
    };
    // i18n-keys: timeline-unit-year, timeline-unit-month, timeline-unit-day
    let unit = t.text(match zoom {
        Zoom::Years => "timeline-unit-year",
        Zoom::Months { .. } => "timeline-unit-month",
        Zoom::Days { .. } => "timeline-unit-day",
    });
    let onzoomout = {
        let zoomed = zoomed.clone();
        Callback::from(move |_: MouseEvent| zoomed.set(zoom.zoom_out()))
    };
    let onclear = {
        let onchange = props.onchange.clone();
        Callback::from(move |_: MouseEvent| {
            onchange.emit(Filters { from: None, to: None, ..browser::current_filters() })
        })
    };
    let onleave = {
        let (anchor, hover) = (anchor.clone(), hover.clone());
        Callback::from(move |_: PointerEvent| {
            anchor.borrow_mut().take();
            hover.set(None);
        })
    };
    let dragging = (*anchor.borrow()).zip(*hover);
    let in_drag = |i: usize| dragging.is_some_and(|(a, b)| (a.min(b)..=a.max(b)).contains(&i));
    let bar = |(i, bin): (usize, &Bin)| {
        let (long, short) = t.period(bin.first, zoom);
        let selected = chosen.is_some_and(|(from, to)| bin.first <= to && bin.last >= from);
        let onpointerdown = {
            let (anchor, hover) = (anchor.clone(), hover.clone());
            Callback::from(move |event: PointerEvent| {
                event.prevent_default();
                // A touch captures the pointer to the bar it began on, so the bars it
                // crosses would never hear of it: let go, and they do.
                if let Some(bar) = event.target_dyn_into::<web_sys::Element>() {
                    let _ = bar.release_pointer_capture(event.pointer_id());
                }
                *anchor.borrow_mut() = Some(i);
                hover.set(Some(i));
            })
        };
        let onpointerenter = {
            let (anchor, hover) = (anchor.clone(), hover.clone());
            Callback::from(move |_: PointerEvent| {
                if anchor.borrow().is_some() {
                    hover.set(Some(i));
                }
            })
        };
        let onpointerup = {
            let (anchor, hover, choose) = (anchor.clone(), hover.clone(), choose.clone());
            Callback::from(move |_: PointerEvent| {
                if let Some(start) = anchor.borrow_mut().take() {
                    hover.set(None);
                    choose(start, i);
                }
            })
        };
        // Keyboard activation (a pointer's click was handled by its down and up).
        let onclick = {
            let (choose, keyboard_anchor) = (choose.clone(), keyboard_anchor.clone());
            Callback::from(move |event: MouseEvent| {
                if event.detail() != 0 {
                    return;
                }
                let from = keyboard_anchor.borrow().get().filter(|_| event.shift_key()).unwrap_or(i);
                keyboard_anchor.borrow().set(Some(i));
                choose(from, i);
            })
        };
        let percent = (u64::from(bin.count) * 100).div_ceil(u64::from(max));
        let label = t.fill("timeline-bar", &[("label", &long), ("count", &t.number(bin.count as usize))]);
        html! {
            <li>
                <button class={classes!("bar", selected.then_some("selected"), in_drag(i).then_some("dragging"), (bin.count == 0).then_some("zero"))}
                    data-testid="timeline-bar" data-first={day_string(bin.first)} data-last={day_string(bin.last)}
                    data-count={bin.count.to_string()} aria-label={label.clone()} title={label}
                    aria-pressed={if selected { "true" } else { "false" }}
                    {onpointerdown} {onpointerenter} {onpointerup} {onclick}>
                    <span class="bar-track" aria-hidden="true"><span class="bar-fill" data-percent={percent.to_string()}></span></span>
                    <span class="bar-label" aria-hidden="true">{ short }</span>
                </button>
            </li>
        }
    };
    html! {
        <div class="timeline" data-testid="timeline" role="group" aria-label={t.text("timeline").to_string()}>
            <div class="timeline-head">
                <span class="timeline-title" data-testid="timeline-title">{ heading }</span>
                if zoom != Zoom::Years {
                    <button class="link" data-testid="timeline-zoom-out" onclick={onzoomout}>{ t.text("timeline-zoom-out") }</button>
                }
                if props.filters.from.is_some() || props.filters.to.is_some() {
                    <button class="link" data-testid="timeline-clear" onclick={onclear}>{ t.text("timeline-clear") }</button>
                }
            </div>
            if bins.is_empty() {
                <p class="hint">{ t.text("timeline-empty") }</p>
            } else {
                <ol class="timeline-bars" ref={bars} aria-label={t.fill("timeline-label", &[("unit", unit)])} onpointerleave={onleave}>
                    { for bins.iter().enumerate().map(bar) }
                </ol>
            }
        </div>
    }
}

/// The zoom whose bin a zoom's bins divide: what its heading names.
fn zoom_out_of(zoom: Zoom) -> Zoom {
    zoom.zoom_out().unwrap_or(Zoom::Years)
}
