//! Every failed read of an inventory, found by walking its serialization: a [`Collected`] that
//! failed serializes as a `Collected` struct with an `error` field, wherever a source keeps it,
//! so no source can forget to report one and none has to list its reads. The walk is a
//! [`serde::Serializer`] that writes nothing: only the failed reads' errors are captured.
//!
//! [`Collected`]: super::Collected

use super::CallError;
use serde::ser::{self, Serialize};

/// The errors of every failed read in `value`, in the order it holds them.
pub fn failed_reads<T: Serialize + ?Sized>(value: &T) -> Vec<CallError> {
    let mut walk = Walk { errors: Vec::new() };
    // The walk itself never fails.
    let _ = value.serialize(&mut walk);
    walk.errors
}

struct Walk {
    errors: Vec<CallError>,
}

#[derive(Debug)]
struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("never")
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<M: std::fmt::Display>(_: M) -> Self {
        Never
    }
}

/// A struct or map being walked; `collected`: a `Collected`, whose `error` field is captured.
struct Fields<'a> {
    walk: &'a mut Walk,
    collected: bool,
}

macro_rules! leaves {
    ($($f:ident($t:ty)),*) => {
        $(fn $f(self, _: $t) -> Result<(), Never> { Ok(()) })*
    };
}

impl<'a> ser::Serializer for &'a mut Walk {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Fields<'a>;
    type SerializeTuple = Fields<'a>;
    type SerializeTupleStruct = Fields<'a>;
    type SerializeTupleVariant = Fields<'a>;
    type SerializeMap = Fields<'a>;
    type SerializeStruct = Fields<'a>;
    type SerializeStructVariant = Fields<'a>;

    leaves!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_unit_struct(&'static str)
    );

    fn serialize_none(self) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Never> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        v.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Fields<'a>, Never> {
        Ok(self.fields(false))
    }
    fn serialize_tuple(self, _: usize) -> Result<Fields<'a>, Never> {
        Ok(self.fields(false))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Fields<'a>, Never> {
        Ok(self.fields(false))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Fields<'a>, Never> {
        Ok(self.fields(false))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Fields<'a>, Never> {
        Ok(self.fields(false))
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Fields<'a>, Never> {
        Ok(self.fields(name == "Collected"))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Fields<'a>, Never> {
        Ok(self.fields(false))
    }
}

impl Walk {
    fn fields(&mut self, collected: bool) -> Fields<'_> {
        Fields {
            walk: self,
            collected,
        }
    }
}

impl Fields<'_> {
    fn value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Never> {
        v.serialize(&mut *self.walk)
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, v: &T) -> Result<(), Never> {
        // Only a failed read has an `error` field: capture it (and nothing inside it).
        if self.collected && key == "error" {
            let error = serde_json::to_value(v).and_then(serde_json::from_value::<CallError>);
            if let Ok(e) = error {
                if e.code != "RegionNotEnabled" && !self.walk.errors.contains(&e) {
                    self.walk.errors.push(e);
                }
            }
            return Ok(());
        }
        self.value(v)
    }
}

macro_rules! compound {
    ($($tr:ident :: $f:ident),*) => {
        $(impl ser::$tr for Fields<'_> {
            type Ok = ();
            type Error = Never;
            fn $f<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Never> {
                self.value(v)
            }
            fn end(self) -> Result<(), Never> {
                Ok(())
            }
        })*
    };
}

compound!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Fields<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, _: &T) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Never> {
        self.value(v)
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

impl ser::SerializeStruct for Fields<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        self.field(key, v)
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

impl ser::SerializeStructVariant for Fields<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        self.field(key, v)
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::Collected;
    use serde::Serialize;

    fn error(code: &str, op: &str) -> CallError {
        CallError {
            account_id: "111111111111".into(),
            region: Some("us-east-1".into()),
            service: "s3".into(),
            operation: op.into(),
            code: code.into(),
            message: "m".into(),
            iam_action: format!("s3:{op}"),
            attempts: 0,
            throttled_attempts: 0,
        }
    }

    #[derive(Serialize)]
    struct Bucket {
        name: String,
        logging: Collected<Option<String>>,
        details: Option<Details>,
    }

    #[derive(Serialize)]
    struct Details {
        policy: Collected<Option<String>>,
        rules: Collected<Vec<String>>,
    }

    #[test]
    fn every_failed_read_is_found_once_wherever_it_is_kept() {
        let denied = error("AccessDenied", "GetBucketPolicy");
        let throttled = error("SlowDown", "GetBucketLogging");
        let buckets: Collected<Vec<Bucket>> = Collected::ok(vec![
            Bucket {
                name: "a".into(),
                logging: Collected::failed(&throttled),
                details: Some(Details {
                    policy: Collected::failed(&denied),
                    rules: Collected::ok(vec!["error".into()]),
                }),
            },
            Bucket {
                name: "b".into(),
                logging: Collected::ok(None),
                details: Some(Details {
                    policy: Collected::failed(&denied),
                    rules: Collected::failed(&error("RegionNotEnabled", "GetBucketLifecycle")),
                }),
            },
        ]);
        // Found once each, in order; a region that is not enabled is not an error.
        assert_eq!(failed_reads(&buckets), vec![throttled, denied]);
        assert!(failed_reads(&Collected::<u8>::ok(1)).is_empty());
    }
}
