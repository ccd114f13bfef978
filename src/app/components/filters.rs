//! The filter controls: the search box, the active filters as removable chips, the
//! facets (each searchable, values with no post behind "show all"), the date range (with
//! what was wrong with it, said), and the count, sort and clear-all.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::search_box::SearchBox;
use super::timeline::Timeline;
use super::views::ViewSwitch;
use crate::app::browser;
use crate::app::hooks::{use_reader, Results};
use crate::archive::FacetCount;
use crate::filter::{Facet, Filters, Only, Sort};
use crate::search::fold;
use crate::timeline::{check_range, Bound, RangeProblem};

/// How many values a facet shows before "Show all".
const SHORT_LIST: usize = 12;

#[derive(Properties, PartialEq)]
pub struct FilterPanelProps {
    pub filters: Filters,
    pub results: Results,
    /// First and last day of the posts here, for the date pickers' bounds.
    pub days: Option<(i32, i32)>,
    /// A filter changed (a new history entry).
    pub onchange: Callback<Filters>,
    /// The search text changed (the current history entry is rewritten).
    pub onquery: Callback<String>,
}

#[component]
pub fn FilterPanel(props: &FilterPanelProps) -> Html {
    let reader = use_reader();
    let t = &reader.texts;
    let filters = &props.filters;
    let active = filters.sources.len()
        + filters.categories.len()
        + filters.tags.len()
        + usize::from(filters.from.is_some())
        + usize::from(filters.to.is_some());
    // Open when a shared link arrives with filters set; afterwards the reader decides.
    let initially_open = use_state(|| active > 0);

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
        Callback::from(move |_| {
            let current = browser::current_filters();
            onchange.emit(Filters { sort: current.sort, only: current.only, ..Filters::default() })
        })
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

    let day = |d: i32| crate::day::day_string(d);
    let (min_day, max_day) = props.days.map(|(a, b)| (day(a), day(b))).unzip();
    let date_problem = date_problem(t, filters, props.days);
    let count_text = if results.unanswered { "—".to_string() } else { t.number(count) };

    html! {
        <div class="filters">
            <SearchBox query={filters.query.clone()} onquery={props.onquery.clone()} />
            <details class="filter-panel" open={*initially_open}>
                <summary>
                    { t.text("filters") }
                    if active > 0 { <span class="badge">{ t.number(active) }</span> }
                </summary>
                <div class="facets">
                    <FacetGroup facet={Facet::Source} title={t.text("facet-source").to_string()} values={sources} selected={filters.sources.clone()} ontoggle={ontoggle.clone()} />
                    <FacetGroup facet={Facet::Category} title={t.text("facet-category").to_string()} values={categories} selected={filters.categories.clone()} ontoggle={ontoggle.clone()} />
                    <FacetGroup facet={Facet::Tag} title={t.text("facet-tag").to_string()} values={tags} selected={filters.tags.clone()} ontoggle={ontoggle} />
                    <fieldset class="facet dates">
                        <legend>{ t.text("date") }</legend>
                        <Timeline listing={results.listing.clone()} filters={filters.clone()} onchange={props.onchange.clone()} />
                        <div class="date-inputs">
                            <label>{ t.text("date-from") }
                                <input type="date" data-testid="date-from" min={min_day.clone()} max={max_day.clone()}
                                    value={filters.from.clone().unwrap_or_default()} onchange={date_change(|f, v| f.from = v)} />
                            </label>
                            <label>{ t.text("date-to") }
                                <input type="date" data-testid="date-to" min={min_day} max={max_day}
                                    value={filters.to.clone().unwrap_or_default()} onchange={date_change(|f, v| f.to = v)} />
                            </label>
                        </div>
                        if let Some(problem) = date_problem {
                            <p class="hint problem" data-testid="date-problem" role="status">{ problem }</p>
                        }
                    </fieldset>
                </div>
            </details>
            <Chips filters={filters.clone()} onchange={props.onchange.clone()} />
            <ViewSwitch filters={filters.clone()} listing={results.listing.clone()} onchange={props.onchange.clone()} />
            <div class="list-head">
                <span class="count" aria-live="polite">
                    <strong data-testid="result-count" data-query={results.answers.clone()} aria-busy={results.pending.then_some("true")}>
                        { count_text }
                    </strong>
                    if count == 1 { { t.text("posts-one") } } else { { t.text("posts-many") } }
                    if results.pending { <span class="searching">{ t.text("searching") }</span> }
                    if !results.listing.complete {
                        <span class="searching" data-testid="counting">
                            { t.fill("counting", &[("loaded", &t.number(loaded)), ("total", &t.number(total))]) }
                        </span>
                    }
                    if let Some(error) = &results.error { <span class="error" role="alert">{ format!(" · {error}") }</span> }
                </span>
                <select data-testid="sort" aria-label={t.text("sort-label").to_string()} ref={sort_select} onchange={onsort}>
                    if searching {
                        <option value="best" selected={sort_value == "best"}>{ t.text("sort-best") }</option>
                    }
                    <option value="newest" selected={sort_value == "newest"}>{ t.text("sort-newest") }</option>
                    <option value="oldest" selected={sort_value == "oldest"}>{ t.text("sort-oldest") }</option>
                </select>
                <button class="clear" data-testid="clear-filters" disabled={!filters.is_narrowing()} onclick={onclear}>
                    { t.text("clear-all") }
                </button>
            </div>
        </div>
    }
}

/// What is wrong with the date range, in words, if anything: never a silent empty list.
fn date_problem(t: &crate::app::texts::Texts, filters: &Filters, bounds: Option<(i32, i32)>) -> Option<String> {
    let check = check_range(filters.from.as_deref(), filters.to.as_deref(), bounds);
    let which = |bound: Bound| match bound {
        Bound::From => t.text("date-from"),
        Bound::To => t.text("date-to"),
    };
    let said: Vec<String> = check
        .problems
        .iter()
        .map(|problem| match problem {
            RangeProblem::NotADate { which: w, text } => {
                t.fill("date-malformed", &[("which", which(*w)), ("value", text)])
            }
            RangeProblem::NoSuchDay { which: w, text } => {
                t.fill("date-no-such-day", &[("which", which(*w)), ("value", text)])
            }
            RangeProblem::Reversed { from, to } => {
                t.fill("date-reversed", &[("from", &t.day(*from)), ("to", &t.day(*to))])
            }
            RangeProblem::OutsideArchive { first, last } => {
                t.fill("date-outside", &[("first", &t.day(*first)), ("last", &t.day(*last))])
            }
        })
        .collect();
    (!said.is_empty()).then(|| said.join(" "))
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
    let reader = use_reader();
    let t = &reader.texts;
    let expanded = use_state(|| false);
    let find = use_state(String::new);
    if props.values.is_empty() {
        return html! {};
    }
    let testid = match props.facet {
        Facet::Source => "facet-source",
        Facet::Category => "facet-category",
        Facet::Tag => "facet-tag",
    };
    // Found the way search finds text: folded, so 台风 finds 颱風.
    let wanted = fold(find.trim());
    let selected = |v: &FacetCount| props.selected.iter().any(|s| fold(s) == fold(&v.name));
    let matching: Vec<&FacetCount> =
        props.values.iter().filter(|v| wanted.is_empty() || fold(&v.name).contains(&wanted)).collect();
    // Values no post under the other filters has wait behind "show all" (unless chosen),
    // and past the first few, so do the others unless the reader is looking for one.
    let mut room = if wanted.is_empty() { SHORT_LIST } else { usize::MAX };
    let shown: Vec<&FacetCount> = matching
        .iter()
        .copied()
        .filter(|v| {
            if selected(v) || *expanded {
                return true;
            }
            if v.count == 0 || room == 0 {
                return false;
            }
            room -= 1;
            true
        })
        .collect();
    let hidden = matching.len().saturating_sub(shown.len());
    let onfind = {
        let find = find.clone();
        Callback::from(move |event: InputEvent| find.set(event.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let find_label = format!("{}: {}", props.title, t.text("facet-find"));
    html! {
        <fieldset class="facet" data-testid={testid}>
            <legend>{ props.title.clone() }</legend>
            if props.values.len() > SHORT_LIST {
                <input type="search" class="facet-find" data-testid={format!("{testid}-find")} aria-label={find_label}
                    placeholder={t.text("facet-find").to_string()} value={(*find).clone()} oninput={onfind} />
            }
            { for shown.into_iter().map(|value| {
                let checked = selected(value);
                let onchange = {
                    let (ontoggle, facet, name) = (props.ontoggle.clone(), props.facet, value.name.clone());
                    Callback::from(move |_: Event| ontoggle.emit((facet, name.clone())))
                };
                // Keyed by name: counts reorder the values as filters change, and a reused
                // input would move the reader's focus (and a click) to another value.
                html! {
                    <label key={value.name.clone()} class={classes!("facet-value", (value.count == 0 && !checked).then_some("empty"))}>
                        <input type="checkbox" value={value.name.clone()} {checked} {onchange} />
                        <span class="name">{ &value.name }</span>
                        <span class="n">{ t.number(value.count as usize) }</span>
                    </label>
                }
            }) }
            if matching.is_empty() {
                <p class="hint">{ t.fill("facet-none-found", &[("text", find.trim())]) }</p>
            }
            if hidden > 0 || *expanded {
                <button class="more" onclick={let expanded = expanded.clone(); move |_| expanded.set(!*expanded)}>
                    { if *expanded { t.text("show-fewer").to_string() } else { t.fill("show-all", &[("count", &t.number(matching.len()))]) } }
                </button>
            }
        </fieldset>
    }
}

#[derive(Properties, PartialEq)]
struct ChipsProps {
    filters: Filters,
    onchange: Callback<Filters>,
}

/// A chip: its label, how it is removed, and the value that takes.
type Chip = (String, fn(&mut Filters, &str), String);

/// The filters that narrow the list, above it, each removable with one click: a shared
/// link with filters shows why the list holds what it holds.
#[component]
fn Chips(props: &ChipsProps) -> Html {
    let reader = use_reader();
    let t = &reader.texts;
    let f = &props.filters;
    let mut chips: Vec<Chip> = Vec::new();
    for (values, facet) in [(&f.sources, Facet::Source), (&f.categories, Facet::Category), (&f.tags, Facet::Tag)] {
        for value in values {
            let remove: fn(&mut Filters, &str) = match facet {
                Facet::Source => |f, v| f.sources.retain(|s| s != v),
                Facet::Category => |f, v| f.categories.retain(|s| s != v),
                Facet::Tag => |f, v| f.tags.retain(|s| s != v),
            };
            chips.push((value.clone(), remove, value.clone()));
        }
    }
    if let Some(from) = &f.from {
        chips.push((t.fill("chip-from", &[("date", from)]), |f, _| f.from = None, String::new()));
    }
    if let Some(to) = &f.to {
        chips.push((t.fill("chip-to", &[("date", to)]), |f, _| f.to = None, String::new()));
    }
    if !f.query.trim().is_empty() {
        chips.push((t.fill("chip-query", &[("text", f.query.trim())]), |f, _| f.query.clear(), String::new()));
    }
    match f.only {
        Only::All => {}
        Only::Unread => chips.push((t.text("chip-unread").to_string(), |f, _| f.only = Only::All, String::new())),
        Only::Starred => chips.push((t.text("chip-starred").to_string(), |f, _| f.only = Only::All, String::new())),
    }
    if chips.is_empty() {
        return html! {};
    }
    html! {
        <ul class="chips" data-testid="active-filters" aria-label={t.text("active-filters").to_string()}>
            { for chips.into_iter().map(|(label, remove, value)| {
                let onchange = props.onchange.clone();
                let onclick = Callback::from(move |_: MouseEvent| {
                    let mut next = browser::current_filters();
                    remove(&mut next, &value);
                    onchange.emit(next);
                });
                let name = t.fill("remove-filter", &[("name", &label)]);
                html! {
                    <li><button class="chip" data-testid="chip" aria-label={name} {onclick}>
                        <span>{ label }</span><span aria-hidden="true">{ " ×" }</span>
                    </button></li>
                }
            }) }
        </ul>
    }
}
