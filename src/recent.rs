//! A few recent answers, kept so that asking again (Back, or retyping a query) costs
//! a comparison instead of a search.

/// The last `capacity` values stored, by key; the most recently stored or found first.
/// Linear: it holds a handful of entries, and a map type would weigh more in the wasm.
#[derive(Clone, Debug)]
pub struct Recent<K, V> {
    entries: Vec<(K, V)>,
    capacity: usize,
}

impl<K: PartialEq, V: Clone> Recent<K, V> {
    /// An empty cache that keeps at most `capacity` values.
    pub fn new(capacity: usize) -> Self {
        Recent { entries: Vec::with_capacity(capacity), capacity }
    }

    /// The value stored for `key`, if it is still kept.
    pub fn get(&self, key: &K) -> Option<V> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    /// Stores `value` for `key` as the most recent, forgetting the oldest beyond capacity.
    pub fn insert(&mut self, key: K, value: V) {
        self.entries.retain(|(k, _)| *k != key);
        self.entries.insert(0, (key, value));
        self.entries.truncate(self.capacity);
    }

    /// How many values are kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::Recent;

    #[test]
    fn keeps_the_most_recent_values_up_to_capacity() {
        let mut recent = Recent::new(2);
        assert!(recent.is_empty());
        recent.insert("a", 1);
        recent.insert("b", 2);
        recent.insert("c", 3);
        assert_eq!((recent.get(&"a"), recent.get(&"b"), recent.get(&"c")), (None, Some(2), Some(3)));
        assert_eq!(recent.len(), 2);
    }

    #[test]
    fn storing_a_key_again_replaces_it_and_makes_it_newest() {
        let mut recent = Recent::new(2);
        recent.insert("a", 1);
        recent.insert("b", 2);
        recent.insert("a", 10);
        recent.insert("c", 3);
        assert_eq!((recent.get(&"a"), recent.get(&"b"), recent.get(&"c")), (Some(10), None, Some(3)));
    }

    #[test]
    fn a_cache_of_nothing_keeps_nothing() {
        let mut recent = Recent::new(0);
        recent.insert(1, 1);
        assert_eq!(recent.get(&1), None);
    }
}
