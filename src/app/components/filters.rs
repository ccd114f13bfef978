//! The filter controls: search box, facets with counts, date range, sort, clear-all.

use gloo::timers::callback::Timeout;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::app::browser;
use crate::app::hooks::{bucket_needs, use_reader, Results};
use crate::archive::FacetCount;
use crate::filter::{Facet, Filters, Sort};

/// How many values a facet shows before "Show all".
const SHORT_LIST: usize = 12;
/// Typing pauses this long before the search runs (and the URL changes).
const SEARCH_DEBOUNCE_MS: u32 = 150;
/// A shorter pause after which the index buckets of what is typed are asked for: on a
/// slow link they take longer than the debounce, so they start before it ends (a burst
/// of keys, a paste or an input method's commit is one request per bucket).
const PREFETCH_PAUSE_MS: u32 = 40;

#[derive(Properties, PartialEq)]
pub struct FilterPanelProps {
    pub filters: Filters,
    pub results: Results,
    /// First and last day in the archive, for the date pickers' bounds.
    pub days: Option<(String, String)>,
    /// A filter changed (a new history entry).
    pub onchange: Callback<Filters>,
    /// The search text changed (the current history entry is rewritten).
    pub onquery: Callback<String>,
}

#[component]
pub fn FilterPanel(props: &FilterPanelProps) -> Html {
    let filters = &props.filters;
    let active = filters.sources.len()
        + filters.categories.len()
        + filters.tags.len()
        + usize::from(filters.from.is_some())
        + usize::from(filters.to.is_some());
    // Open when a shared link arrives with filters set; afterwards the reader decides.
    let initially_open = use_state(|| active > 0);

    // Each keystroke restarts the timers; only a pause sends the text on.
    let reader = use_reader();
    let typing = use_mut_ref(|| None::<Timeout>);
    let prefetching = use_mut_ref(|| None::<Timeout>);
    let oninput = {
        let onquery = props.onquery.clone();
        let (onneed, library, scanning) =
            (reader.onneed.clone(), reader.library.clone(), reader.offline_scan.is_some());
        Callback::from(move |event: InputEvent| {
            let value = event.target_unchecked_into::<HtmlInputElement>().value();
            let (onneed, library, text) = (onneed.clone(), library.clone(), value.clone());
            *prefetching.borrow_mut() = (!scanning).then(|| {
                Timeout::new(PREFETCH_PAUSE_MS, move || {
                    let query = crate::search::Query::parse(&text);
                    // One-character terms need a character's whole posting, which is large
                    // and, mid-word, seldom what the query ends as: only the search asks for it.
                    if query.include.iter().chain(&query.exclude).any(|t| t.folded.chars().count() < 2) {
                        return;
                    }
                    onneed.emit(bucket_needs(&library, &query));
                })
            });
            let onquery = onquery.clone();
            *typing.borrow_mut() = Some(Timeout::new(SEARCH_DEBOUNCE_MS, move || onquery.emit(value)));
        })
    };
    // Every control starts from the filters the URL has at the time of the event (see
    // `browser::current_filters`), not from those of its render.
    let date_change = |set: fn(&mut Filters, Option<String>)| {
        let onchange = props.onchange.clone();
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlInputElement>().value();
            let mut next = browser::current_filters();
            set(&mut next, (!value.is_empty()).then_some(value));
            onchange.emit(next);
        })
    };
    let onsort = {
        let onchange = props.onchange.clone();
        Callback::from(move |event: Event| {
            let sort = match event.target_unchecked_into::<HtmlSelectElement>().value().as_str() {
                "oldest" => Sort::Oldest,
                "newest" => Sort::Newest,
                _ => Sort::BestMatch,
            };
            onchange.emit(Filters { sort, ..browser::current_filters() });
        })
    };
    let onclear = {
        let onchange = props.onchange.clone();
        Callback::from(move |_| onchange.emit(Filters { sort: browser::current_filters().sort, ..Filters::default() }))
    };
    let ontoggle = {
        let onchange = props.onchange.clone();
        Callback::from(move |(facet, value): (Facet, String)| {
            let mut next = browser::current_filters();
            next.toggle(facet, &value);
            onchange.emit(next);
        })
    };

    // The options' `selected` attributes only set the initial choice: once the reader has
    // picked one, Back and Forward must set the select's value for it to follow the URL.
    let searching = !props.results.query.include.is_empty();
    let sort_value = match filters.sort {
        Sort::BestMatch if searching => "best",
        Sort::BestMatch | Sort::Newest => "newest",
        Sort::Oldest => "oldest",
    };
    let sort_select = use_node_ref();
    {
        let sort_select = sort_select.clone();
        use_effect_with(sort_value, move |value| {
            if let Some(select) = sort_select.cast::<HtmlSelectElement>() {
                select.set_value(value);
            }
        });
    }
    let results = &props.results;
    let catalog = reader.library.catalog();
    let (loaded, total) = (catalog.loaded_posts(), catalog.entries.len());
    let counts = &results.listing.counts;
    let sources = by_use(&counts.sources, &catalog.sources);
    let categories = by_use(&counts.categories, &catalog.categories);
    let tags = by_use(&counts.tags, &catalog.tags);
    drop(catalog);
    let count = results.listing.indices.len();

    let (min_day, max_day) = props.days.clone().unzip();

    html! {
        <div class="filters">
            <input
                id="search"
                class="search"
                type="search"
                data-testid="search"
                placeholder="Search titles and text   ( / )"
                aria-label="Search titles and text"
                value={filters.query.clone()}
                {oninput}
            />
            <details class="filter-panel" open={*initially_open}>
                <summary>
                    { "Filters" }
                    if active > 0 { <span class="badge">{ active }</span> }
                </summary>
                <div class="facets">
                    <FacetGroup facet={Facet::Source} title="Source" values={sources} selected={filters.sources.clone()} ontoggle={ontoggle.clone()} />
                    <FacetGroup facet={Facet::Category} title="Category" values={categories} selected={filters.categories.clone()} ontoggle={ontoggle.clone()} />
                    <FacetGroup facet={Facet::Tag} title="Tag" values={tags} selected={filters.tags.clone()} ontoggle={ontoggle} />
                    <fieldset class="facet dates">
                        <legend>{ "Date" }</legend>
                        <label>{ "From " }
                            <input type="date" data-testid="date-from" min={min_day.clone()} max={max_day.clone()}
                                value={filters.from.clone().unwrap_or_default()} onchange={date_change(|f, v| f.from = v)} />
                        </label>
                        <label>{ "To " }
                            <input type="date" data-testid="date-to" min={min_day} max={max_day}
                                value={filters.to.clone().unwrap_or_default()} onchange={date_change(|f, v| f.to = v)} />
                        </label>
                    </fieldset>
                </div>
            </details>
            <div class="list-head">
                <span class="count" aria-live="polite">
                    <strong data-testid="result-count" data-query={results.answers.clone()} aria-busy={results.pending.then_some("true")}>
                        { if results.unanswered { "—".to_string() } else { count.to_string() } }
                    </strong>
                    { if count == 1 { " post" } else { " posts" } }
                    if results.pending { <span class="searching">{ " · searching…" }</span> }
                    if !results.listing.complete {
                        <span class="searching" data-testid="counting">
                            { format!(" so far · counting ({loaded} of {total} posts here)") }
                        </span>
                    }
                    if let Some(error) = &results.error { <span class="error" role="alert">{ format!(" · {error}") }</span> }
                </span>
                <select data-testid="sort" aria-label="Sort order" ref={sort_select} onchange={onsort}>
                    if searching {
                        <option value="best" selected={sort_value == "best"}>{ "Best match" }</option>
                    }
                    <option value="newest" selected={sort_value == "newest"}>{ "Newest first" }</option>
                    <option value="oldest" selected={sort_value == "oldest"}>{ "Oldest first" }</option>
                </select>
                <button class="clear" data-testid="clear-filters" disabled={!filters.is_narrowing()} onclick={onclear}>
                    { "Clear all" }
                </button>
            </div>
        </div>
    }
}

/// A facet's counts under the filters, most used in the whole archive first (values are
/// numbered in the order they arrived, not by use), ties by name: the order stays put
/// while filters change.
fn by_use(counts: &[FacetCount], totals: &[FacetCount]) -> Vec<FacetCount> {
    let mut order: Vec<usize> = (0..counts.len().min(totals.len())).collect();
    order.sort_by(|&a, &b| totals[b].count.cmp(&totals[a].count).then_with(|| totals[a].name.cmp(&totals[b].name)));
    order.into_iter().map(|i| counts[i].clone()).collect()
}

#[derive(Properties, PartialEq)]
struct FacetGroupProps {
    facet: Facet,
    title: AttrValue,
    values: Vec<FacetCount>,
    selected: Vec<String>,
    ontoggle: Callback<(Facet, String)>,
}

#[component]
fn FacetGroup(props: &FacetGroupProps) -> Html {
    let expanded = use_state(|| false);
    if props.values.is_empty() {
        return html! {};
    }
    let shown: Vec<&FacetCount> = props
        .values
        .iter()
        .enumerate()
        .filter(|(i, v)| *expanded || *i < SHORT_LIST || props.selected.contains(&v.name))
        .map(|(_, v)| v)
        .collect();
    let hidden = props.values.len() - shown.len();
    let testid = match props.facet {
        Facet::Source => "facet-source",
        Facet::Category => "facet-category",
        Facet::Tag => "facet-tag",
    };
    html! {
        <fieldset class="facet" data-testid={testid}>
            <legend>{ props.title.clone() }</legend>
            { for shown.into_iter().map(|value| {
                let checked = props.selected.contains(&value.name);
                let onchange = {
                    let (ontoggle, facet, name) = (props.ontoggle.clone(), props.facet, value.name.clone());
                    Callback::from(move |_: Event| ontoggle.emit((facet, name.clone())))
                };
                html! {
                    <label class={classes!("facet-value", (value.count == 0 && !checked).then_some("empty"))}>
                        <input type="checkbox" value={value.name.clone()} {checked} {onchange} />
                        <span class="name">{ &value.name }</span>
                        <span class="n">{ value.count }</span>
                    </label>
                }
            }) }
            if hidden > 0 || *expanded {
                <button class="more" onclick={let expanded = expanded.clone(); move |_| expanded.set(!*expanded)}>
                    { if *expanded { "Show fewer".to_string() } else { format!("Show all {}", props.values.len()) } }
                </button>
            }
        </fieldset>
    }
}
