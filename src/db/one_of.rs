//! `column IN (values)` written so that its statement is prepared once per connection, not once
//! per call. Diesel's `eq_any` writes one placeholder per value on SQLite, so each list length is
//! different SQL that its statement cache must refuse, and SQLite parses and plans the query
//! again on every request (a list page made eight such queries). Here the values travel as one
//! bound text whatever their number: a JSON array that SQLite reads with `json_each`, and on
//! PostgreSQL an array literal, compared as `= ANY` just as diesel does there. The dashboards'
//! streamed reads, on a backend's own connection, keep `eq_any`: each is one statement
//! of a read that takes far longer than preparing it.

use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, TypedExpressionType, ValidGrouping};
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Bool, Nullable, SqlType, Text};

use super::DbConnection;

type Multi = <DbConnection as diesel::Connection>::Backend;

/// `column` is one of `values`, for a text column; a null is one of nothing.
pub fn one_of<C, V>(column: C, values: impl IntoIterator<Item = V>) -> OneOf<C>
where
    C: Expression,
    C::SqlType: Textual,
    V: AsRef<str>,
{
    let values: Vec<String> = values.into_iter().map(|v| v.as_ref().to_string()).collect();
    OneOf {
        column,
        // Serialising a list of strings cannot fail.
        json: serde_json::to_string(&values).unwrap_or_else(|_| "[]".to_string()),
        array: array_literal(&values),
    }
}

/// PostgreSQL's text form of a `text[]`: every element quoted, so none is read as NULL and
/// commas, braces and spaces stay inside it.
fn array_literal(values: &[String]) -> String {
    let quoted: Vec<String> = values
        .iter()
        .map(|v| format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    format!("{{{}}}", quoted.join(","))
}

/// The column types `one_of` compares, and the type of the comparison.
pub trait Textual: SqlType {
    type Matches: SqlType + TypedExpressionType;
}

impl Textual for Text {
    type Matches = Bool;
}

impl Textual for Nullable<Text> {
    type Matches = Nullable<Bool>;
}

#[derive(Debug, Clone)]
pub struct OneOf<C> {
    column: C,
    json: String,
    array: String,
}

impl<C> Expression for OneOf<C>
where
    C: Expression,
    C::SqlType: Textual,
{
    type SqlType = <C::SqlType as Textual>::Matches;
}

impl<C, QS> AppearsOnTable<QS> for OneOf<C>
where
    C: AppearsOnTable<QS>,
    C::SqlType: Textual,
{
}

impl<C, QS> SelectableExpression<QS> for OneOf<C>
where
    C: SelectableExpression<QS>,
    C::SqlType: Textual,
{
}

impl<C: ValidGrouping<GB>, GB> ValidGrouping<GB> for OneOf<C> {
    type IsAggregate = C::IsAggregate;
}

/// The SQL depends only on the column and the connection's backend, never on the values, so
/// the statement can be cached under the column's type.
impl<C: QueryId> QueryId for OneOf<C> {
    type QueryId = (OneOfId, C::QueryId);
    const HAS_STATIC_QUERY_ID: bool = C::HAS_STATIC_QUERY_ID;
}

/// Tells [`OneOf`]'s query id from its column's.
pub struct OneOfId;

impl<C: QueryFragment<Multi>> QueryFragment<Multi> for OneOf<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Multi>) -> QueryResult<()> {
        out.push_sql("(");
        self.column.walk_ast(out.reborrow())?;
        if matches!(out.backend(), Multi::Sqlite(_)) {
            out.push_sql(" IN (SELECT value FROM json_each(");
            out.push_bind_param::<Text, String>(&self.json)?;
            out.push_sql(")))");
        } else {
            out.push_sql(" = ANY(CAST(");
            out.push_bind_param::<Text, String>(&self.array)?;
            out.push_sql(" AS text[])))");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::array_literal;

    #[test]
    fn array_literals_quote_every_element() {
        let values = ["a", "", "NULL", "x,y", "say \"hi\"", "back\\slash", "{}"].map(String::from);
        assert_eq!(
            array_literal(&values),
            r#"{"a","","NULL","x,y","say \"hi\"","back\\slash","{}"}"#
        );
        assert_eq!(array_literal(&[]), "{}");
    }
}
