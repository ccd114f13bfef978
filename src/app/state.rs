//! All of the app's state, changed only through [`Action`]s.

use std::collections::HashSet;
use std::rc::Rc;

use yew::Reducible;

use super::net::{LoadError, Opened};
use crate::archive::{ArticleDetails, Shard, ShardStarts};
use crate::catalog::Catalog;
use crate::route::Route;
use crate::search::bucket::{bucket_of, Bucket, Key};
use crate::search::Scan;

/// A loaded archive: its catalog and where the rest of it lies; loaded once, never changed.
pub struct Library {
    pub catalog: Catalog,
    details: Vec<Shard>,
    details_starts: ShardStarts,
    search: Vec<String>,
    /// How a single-layout archive is searched; a sharded one has index buckets instead.
    pub scan: Option<Scan>,
}

impl Library {
    fn new(catalog: Catalog, details: Vec<Shard>, search: Vec<String>, scan: Option<Scan>) -> Self {
        let details_starts = ShardStarts::new(&details);
        Library { catalog, details, details_starts, search, scan }
    }

    /// The details shard holding post `position`, and that shard's first post.
    pub fn details_shard(&self, position: usize) -> Option<(usize, usize)> {
        self.details_starts.find(position)
    }

    pub fn details_file(&self, shard: usize) -> &Shard {
        &self.details[shard]
    }

    pub fn bucket_of(&self, key: Key) -> u32 {
        bucket_of(key, self.search.len() as u32)
    }

    pub fn bucket_file(&self, bucket: u32) -> &str {
        &self.search[bucket as usize]
    }
}

/// Shared state compared by identity: a new value is a new `Rc`, and comparing contents
/// (250,000 posts, every shard fetched) on every render would not do.
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

pub type LibraryRef = Shared<Library>;
pub type FetchedRef = Shared<Fetched>;
/// One fetched details shard.
pub type DetailsRef = Shared<Vec<ArticleDetails>>;
/// One fetched search bucket.
pub type BucketRef = Shared<Bucket>;

/// The shards fetched so far. Every arrival makes a new value, so components that
/// take it as a property re-render exactly when something they may show has come.
#[derive(Clone, Default)]
pub struct Fetched {
    /// By shard number (vectors, not maps: a map type per value type would weigh more in
    /// the wasm than these few pointers do in memory).
    details: Vec<Option<DetailsRef>>,
    buckets: Vec<Option<BucketRef>>,
    /// The first shard that could not be fetched, to show; it is not asked for again.
    pub error: Option<Rc<LoadError>>,
    /// Search buckets that could not be fetched: queries needing them cannot be answered.
    failed_buckets: Vec<u32>,
}

impl Fetched {
    /// Post `position`'s details, if its shard is here.
    pub fn details<'a>(&'a self, library: &Library, position: usize) -> Option<&'a ArticleDetails> {
        let (shard, first) = library.details_shard(position)?;
        self.details.get(shard)?.as_ref()?.get(position - first)
    }

    /// Post `position`'s details shard and the post's place in it, if the shard is here.
    pub fn details_ref(&self, library: &Library, position: usize) -> Option<(DetailsRef, usize)> {
        let (shard, first) = library.details_shard(position)?;
        Some((self.details.get(shard)?.clone()?, position - first))
    }

    fn has_details_shard(&self, shard: usize) -> bool {
        matches!(self.details.get(shard), Some(Some(_)))
    }

    /// A fetched search bucket.
    pub fn bucket(&self, bucket: u32) -> Option<&BucketRef> {
        self.buckets.get(bucket as usize)?.as_ref()
    }

    /// What of `wanted` is not here yet (shards that failed are still counted missing).
    pub fn missing(&self, wanted: &Needs) -> Needs {
        let mut missing = Needs::default();
        for &shard in &wanted.details {
            if !self.has_details_shard(shard) && !missing.details.contains(&shard) {
                missing.details.push(shard);
            }
        }
        for &bucket in &wanted.buckets {
            if self.bucket(bucket).is_none() && !missing.buckets.contains(&bucket) {
                missing.buckets.push(bucket);
            }
        }
        missing
    }

    pub fn bucket_failed(&self, bucket: u32) -> bool {
        self.failed_buckets.contains(&bucket)
    }
}

/// Puts `value` at `index`, growing `list` as needed.
fn put<T>(list: &mut Vec<Option<T>>, index: usize, value: T) {
    if list.len() <= index {
        list.resize_with(index + 1, || None);
    }
    list[index] = Some(value);
}

/// Shards a view or a query is waiting for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    /// Details shards, by number.
    pub details: Vec<usize>,
    /// Search buckets, by number.
    pub buckets: Vec<u32>,
}

impl Needs {
    /// Whether nothing is needed.
    pub fn is_empty(&self) -> bool {
        self.details.is_empty() && self.buckets.is_empty()
    }
}

#[derive(Clone)]
pub enum Load {
    Fetching { received: u64, total: Option<u64> },
    Failed(Rc<LoadError>),
    Ready(LibraryRef),
}

#[derive(Clone)]
pub struct State {
    pub load: Load,
    pub fetched: FetchedRef,
    pub route: Route,
    /// The remembered "always load images" setting.
    pub images_always: bool,
    /// Articles whose images the reader asked for this session.
    pub images_shown: HashSet<String>,
}

pub enum Action {
    Progress {
        received: u64,
        total: Option<u64>,
    },
    Opened(Opened),
    Failed(LoadError),
    DetailsArrived(usize, DetailsRef),
    BucketArrived(u32, BucketRef),
    /// A shard could not be fetched; `bucket` says which search bucket, if it was one.
    ShardFailed {
        bucket: Option<u32>,
        error: LoadError,
    },
    Navigated(Route),
    SetImagesAlways(bool),
    ShowImages(String),
}

impl State {
    pub fn new(route: Route, images_always: bool) -> Self {
        State {
            load: Load::Fetching { received: 0, total: None },
            fetched: Shared(Rc::default()),
            route,
            images_always,
            images_shown: HashSet::new(),
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        let fetched = |change: &dyn Fn(&mut Fetched)| {
            let mut fetched = (*self.fetched.0).clone();
            change(&mut fetched);
            Shared(Rc::new(fetched))
        };
        match action {
            Action::Progress { received, total } => next.load = Load::Fetching { received, total },
            Action::Opened(opened) => {
                let Opened { catalog, details, search, preloaded } = opened;
                let scan = preloaded.map(|(all, scan)| {
                    let fetched = Fetched { details: vec![Some(Shared(Rc::new(all)))], ..Fetched::default() };
                    next.fetched = Shared(Rc::new(fetched));
                    scan
                });
                next.load = Load::Ready(Shared(Rc::new(Library::new(catalog, details, search, scan))));
            }
            Action::Failed(error) => next.load = Load::Failed(Rc::new(error)),
            Action::DetailsArrived(shard, details) => {
                next.fetched = fetched(&|f| put(&mut f.details, shard, details.clone()))
            }
            Action::BucketArrived(bucket, contents) => {
                next.fetched = fetched(&|f| put(&mut f.buckets, bucket as usize, contents.clone()))
            }
            Action::ShardFailed { bucket, error } => {
                let error = Rc::new(error);
                next.fetched = fetched(&|f| {
                    f.error.get_or_insert_with(|| error.clone());
                    f.failed_buckets.extend(bucket);
                })
            }
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
