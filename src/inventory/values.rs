//! Typed AWS values: enum-like strings AWS answers (statuses, traffic types, key managers...)
//! become Rust enums with an explicit `Unknown` variant that keeps what AWS said, so a new value
//! is never silently read as a known one. They serialize as AWS's own string.

/// Declare an AWS enum-like string: `aws_enum! { pub enum Name { Variant = "AWS_VALUE", ... } }`.
macro_rules! aws_enum {
    ($(#[$m:meta])* $vis:vis enum $name:ident { $( $(#[$vm:meta])* $var:ident = $s:literal ),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(from = "String", into = "String")]
        $vis enum $name {
            $( $(#[$vm])* $var, )*
            #[doc = "A value this version of logwarden does not know, as AWS said it."]
            Unknown(String),
        }

        impl $name {
            /// The value as AWS writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$var => $s, )*
                    $name::Unknown(s) => s,
                }
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                match s.as_str() {
                    $( $s => $name::$var, )*
                    _ => $name::Unknown(s),
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self::from(s.to_string())
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> String {
                v.as_str().to_string()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use aws_enum;

#[cfg(test)]
mod tests {
    aws_enum! {
        enum Sample { On = "ON", Off = "OFF" }
    }

    #[test]
    fn known_values_map_and_unknown_ones_are_kept_verbatim() {
        assert_eq!(Sample::from("ON"), Sample::On);
        assert_eq!(Sample::from("DIMMED"), Sample::Unknown("DIMMED".into()));
        assert_eq!(serde_json::to_string(&Sample::Off).unwrap(), "\"OFF\"");
        let back: Sample = serde_json::from_str("\"DIMMED\"").unwrap();
        assert_eq!(back.as_str(), "DIMMED");
    }
}
