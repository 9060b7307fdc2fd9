//! Deep merge of TOML tables: the user's layer over the built-in one.

/// Merges `overlay` into `base`: nested tables merge key by key, everything else
/// (values, arrays) is replaced.
pub fn merge_tables(base: &mut toml::Table, overlay: toml::Table) {
    for (key, value) in overlay {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(existing)), toml::Value::Table(incoming)) => {
                merge_tables(existing, incoming)
            }
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}
