//! A map from name to a value that holds its own name, kept as one list sorted by name:
//! no second copy of each name and none of a tree's partly filled nodes, which matters for
//! a config of many thousand log queries. Serialized as a map.

/// A value known by a name it holds.
pub trait Named {
    fn name(&self) -> &str;
}

/// Values sorted by name, one per name.
#[derive(Clone, Debug)]
pub struct ByName<T>(Vec<T>);

impl<T> Default for ByName<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<T: Named> ByName<T> {
    pub fn get(&self, name: &str) -> Option<&T> {
        let at = self.0.binary_search_by(|value| value.name().cmp(name)).ok()?;
        self.0.get(at)
    }

    /// The values, sorted by name.
    pub fn values(&self) -> std::slice::Iter<'_, T> {
        self.0.iter()
    }

    /// The names, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(Named::name)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// As a map is collected: a name given twice keeps its last value.
impl<T: Named> FromIterator<T> for ByName<T> {
    fn from_iter<I: IntoIterator<Item = T>>(values: I) -> Self {
        let mut values: Vec<T> = values.into_iter().collect();
        if !values.is_sorted_by(|a, b| a.name() <= b.name()) {
            // Sorted through a list of positions: a stable sort of the values themselves
            // would take a scratch copy of half of them.
            let mut order: Vec<usize> = (0..values.len()).collect();
            order.sort_by(|&a, &b| values[a].name().cmp(values[b].name()));
            permute(&mut values, &mut order);
        }
        // Of a run of one name, the first keeps its place and takes each later value.
        values.dedup_by(|later, kept| {
            let same = later.name() == kept.name();
            if same {
                std::mem::swap(later, kept);
            }
            same
        });
        values.shrink_to_fit();
        Self(values)
    }
}

/// Rearranges `values` in place so that position `i` holds the value that was at
/// `order[i]`, following each cycle of the permutation; `order` is left as `0..len`.
fn permute<T>(values: &mut [T], order: &mut [usize]) {
    for start in 0..values.len() {
        let mut current = start;
        loop {
            let from = order[current];
            order[current] = current;
            if from == start {
                break;
            }
            values.swap(current, from);
            current = from;
        }
    }
}

impl<T: Named + serde::Serialize> serde::Serialize for ByName<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|value| (value.name(), value)))
    }
}

#[cfg(test)]
mod tests {
    use super::{ByName, Named};
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    /// A name and where it came from.
    #[derive(Clone, Debug, PartialEq, serde::Serialize)]
    struct Item(String, usize);

    impl Named for Item {
        fn name(&self) -> &str {
            &self.0
        }
    }

    #[test]
    fn values_are_sorted_by_name_and_a_name_given_twice_keeps_its_last_value() {
        let items: ByName<Item> = ["b", "a", "b", "c", "b"]
            .iter()
            .enumerate()
            .map(|(at, name)| Item((*name).to_owned(), at))
            .collect();
        let names: Vec<(&str, usize)> = items.values().map(|i| (i.0.as_str(), i.1)).collect();
        assert_eq!(names, [("a", 1), ("b", 4), ("c", 3)]);
        assert_eq!(items.get("b"), Some(&Item("b".to_owned(), 4)));
        assert_eq!(items.get("d"), None);
        assert_eq!(
            serde_json::to_string(&items).expect("serializes"),
            r#"{"a":["a",1],"b":["b",4],"c":["c",3]}"#
        );
    }

    proptest! {
        /// Collected and read like the map it replaces, whatever the order and repeats.
        #[test]
        fn behaves_as_a_map_collected_in_order(names in proptest::collection::vec("[a-e]{0,2}", 0..40)) {
            let items: ByName<Item> =
                names.iter().enumerate().map(|(at, name)| Item(name.clone(), at)).collect();
            let map: BTreeMap<&str, Item> =
                names.iter().enumerate().map(|(at, name)| (name.as_str(), Item(name.clone(), at))).collect();
            prop_assert_eq!(items.values().cloned().collect::<Vec<_>>(), map.values().cloned().collect::<Vec<_>>());
            prop_assert_eq!(items.keys().collect::<Vec<_>>(), map.keys().copied().collect::<Vec<_>>());
            prop_assert_eq!(items.len(), map.len());
            for name in &names {
                prop_assert_eq!(items.get(name), map.get(name.as_str()));
            }
            prop_assert_eq!(serde_json::to_string(&items).ok(), serde_json::to_string(&map).ok());
        }
    }
}
