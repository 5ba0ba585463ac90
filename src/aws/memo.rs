//! Reads shared between collectors: the first caller of a key makes the call, every later caller
//! (concurrent or not) gets the same answer. This is what lets collection run without phases:
//! a source that needs another's read (the VPCs of a region, the trails of an account) awaits
//! it, and nothing else waits.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

type Cell = Arc<OnceCell<Arc<dyn Any + Send + Sync>>>;

#[derive(Default)]
pub struct Memo {
    cells: Mutex<HashMap<String, Cell>>,
}

impl Memo {
    /// The value for `key`, made by `init` the first time. One type per key.
    pub async fn get<T, F, Fut>(&self, key: &str, init: F) -> T
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = T>,
    {
        let cell = {
            let mut cells = self.cells.lock().unwrap_or_else(|p| p.into_inner());
            cells.entry(key.to_string()).or_default().clone()
        };
        let v = cell
            .get_or_init(|| async { Arc::new(init().await) as Arc<dyn Any + Send + Sync> })
            .await;
        v.downcast_ref::<T>()
            .unwrap_or_else(|| panic!("memo key {key} was read with another type"))
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn concurrent_callers_share_one_call() {
        let memo = Memo::default();
        let calls = AtomicUsize::new(0);
        let read = || async {
            calls.fetch_add(1, Ordering::SeqCst);
            tokio::task::yield_now().await;
            42u32
        };
        let (a, b, c) = tokio::join!(
            memo.get("k", read),
            memo.get("k", read),
            memo.get("k", read)
        );
        assert_eq!((a, b, c), (42, 42, 42));
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(memo.get("other", || async { 7u32 }).await, 7);
    }
}
