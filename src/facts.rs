//! A typed map of facts: what one source publishes for others to read (the organization trail,
//! the log-archive bucket, where trails could not be listed...), keyed by the fact's type. The
//! shared machinery carries the map without knowing what is in it, so it never names a source;
//! a source reads another's fact by its type. A leaf: it uses nothing of the crate.

use std::any::{Any, TypeId};
use std::collections::HashMap;

/// Facts, one value per type.
#[derive(Default)]
pub struct Facts(HashMap<TypeId, Box<dyn Any + Send + Sync>>);

impl Facts {
    /// Publish `value` (replacing the fact of its type, if there was one).
    pub fn insert<T: Any + Send + Sync>(&mut self, value: T) {
        self.0.insert(TypeId::of::<T>(), Box::new(value));
    }

    /// The fact of type `T`, if it was published.
    pub fn get<T: Any + Send + Sync>(&self) -> Option<&T> {
        self.0.get(&TypeId::of::<T>())?.downcast_ref()
    }

    /// The fact of type `T`, published as its default first if it was not.
    pub fn entry<T: Any + Send + Sync + Default>(&mut self) -> &mut T {
        self.0
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Box::new(T::default()))
            .downcast_mut()
            .unwrap_or_else(|| unreachable!("the map is keyed by the value's TypeId"))
    }
}

impl std::fmt::Debug for Facts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Facts({} published)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::Facts;

    #[derive(Debug, Default, PartialEq)]
    struct Trail(String);
    #[derive(Debug, Default, PartialEq)]
    struct Bucket(String);

    #[test]
    fn each_type_is_its_own_fact() {
        let mut f = Facts::default();
        assert_eq!(f.get::<Trail>(), None);
        f.insert(Trail("org".into()));
        f.entry::<Bucket>().0.push_str("logs");
        assert_eq!(f.get::<Trail>(), Some(&Trail("org".into())));
        assert_eq!(f.get::<Bucket>(), Some(&Bucket("logs".into())));
        f.insert(Trail("other".into()));
        assert_eq!(f.get::<Trail>().map(|t| t.0.as_str()), Some("other"));
    }
}
