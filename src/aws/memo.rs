//! Reads shared between collectors: the first caller of a key makes the call, every later caller
//! (concurrent or not) gets the same answer. This is what lets collection run without phases:
//! a source that needs another's read (the VPCs of a region, the trails of an account) awaits
//! it, and nothing else waits.
//!
//! A key is a value of its own type ([`MemoKey`]), which also names the type of the answer:
//! two reads cannot share a key by accident, and a key cannot be read with another type.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// The key of a shared read, and the type of its answer.
pub trait MemoKey: Hash + Eq + Send + Sync + 'static {
    type Value: Clone + Send + Sync + 'static;
}

type Cells<K> = HashMap<K, Arc<OnceCell<<K as MemoKey>::Value>>>;

#[derive(Default)]
pub struct Memo {
    by_type: Mutex<HashMap<TypeId, Box<dyn Any + Send + Sync>>>,
}

impl Memo {
    /// The answer for `key`, made by `init` the first time.
    pub async fn get<K, F, Fut>(&self, key: K, init: F) -> K::Value
    where
        K: MemoKey,
        F: FnOnce() -> Fut,
        Fut: Future<Output = K::Value>,
    {
        let cell = {
            let mut by_type = self.by_type.lock().unwrap_or_else(|p| p.into_inner());
            by_type
                .entry(TypeId::of::<K>())
                .or_insert_with(|| Box::new(Cells::<K>::new()))
                .downcast_mut::<Cells<K>>()
                .unwrap_or_else(|| unreachable!("the map is keyed by the key's TypeId"))
                .entry(key)
                .or_default()
                .clone()
        };
        cell.get_or_init(init).await.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[derive(Hash, PartialEq, Eq)]
    struct Answer(&'static str);
    impl MemoKey for Answer {
        type Value = u32;
    }

    #[derive(Hash, PartialEq, Eq)]
    struct Name(&'static str);
    impl MemoKey for Name {
        type Value = String;
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_call_and_each_key_type_is_its_own() {
        let memo = Memo::default();
        let calls = AtomicUsize::new(0);
        let read = || async {
            calls.fetch_add(1, Ordering::SeqCst);
            tokio::task::yield_now().await;
            42u32
        };
        let (a, b, c) = tokio::join!(
            memo.get(Answer("k"), read),
            memo.get(Answer("k"), read),
            memo.get(Answer("k"), read)
        );
        assert_eq!((a, b, c), (42, 42, 42));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(memo.get(Answer("other"), || async { 7u32 }).await, 7);
        // The same spelling under another key type is another read, with its own type.
        assert_eq!(memo.get(Name("k"), || async { "x".to_string() }).await, "x");
        assert_eq!(memo.get(Answer("k"), || async { 0 }).await, 42);
    }
}
