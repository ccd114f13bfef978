//! All of the app's state, changed only through [`Action`]s.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use yew::Reducible;

use super::net::LoadError;
use crate::archive::Archive;
use crate::filter::ListIndex;
use crate::route::Route;

/// A loaded archive and what was precomputed from it. Compared by identity: it is
/// loaded once and never changes, and comparing 27,000 articles per render would not do.
pub struct Catalog {
    pub archive: Archive,
    pub index: ListIndex,
    by_id: HashMap<String, usize>,
}

impl Catalog {
    pub fn new(archive: Archive) -> Self {
        let index = ListIndex::new(&archive.articles);
        let by_id = archive.articles.iter().enumerate().map(|(i, a)| (a.id.clone(), i)).collect();
        Catalog { archive, index, by_id }
    }

    pub fn position(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }
}

#[derive(Clone)]
pub struct CatalogRef(pub Rc<Catalog>);

impl PartialEq for CatalogRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for CatalogRef {
    type Target = Catalog;
    fn deref(&self) -> &Catalog {
        &self.0
    }
}

#[derive(Clone)]
pub enum Load {
    Fetching { received: u64, total: Option<u64> },
    Failed(Rc<LoadError>),
    Ready(CatalogRef),
}

#[derive(Clone)]
pub struct State {
    pub load: Load,
    pub route: Route,
    /// The remembered "always load images" setting.
    pub images_always: bool,
    /// Articles whose images the reader asked for this session.
    pub images_shown: HashSet<String>,
}

pub enum Action {
    Progress { received: u64, total: Option<u64> },
    Loaded(Archive),
    Failed(LoadError),
    Navigated(Route),
    SetImagesAlways(bool),
    ShowImages(String),
}

impl State {
    pub fn new(route: Route, images_always: bool) -> Self {
        State { load: Load::Fetching { received: 0, total: None }, route, images_always, images_shown: HashSet::new() }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Progress { received, total } => next.load = Load::Fetching { received, total },
            Action::Loaded(archive) => next.load = Load::Ready(CatalogRef(Rc::new(Catalog::new(archive)))),
            Action::Failed(error) => next.load = Load::Failed(Rc::new(error)),
            Action::Navigated(route) if route == self.route => return self,
            Action::Navigated(route) => next.route = route,
            Action::SetImagesAlways(always) => next.images_always = always,
            Action::ShowImages(id) => {
                next.images_shown.insert(id);
            }
        }
        Rc::new(next)
    }
}
