//! The filter tree. Spans (`Loc`) locate every node in the filter text but take no part in
//! equality, so two trees are equal when they mean the same filter.

use std::ops::Range;

/// A byte range in the filter text. Always equal to every other `Loc`: trees compare by
/// meaning, not by where they were written.
#[derive(Clone, Debug, Default, Eq)]
pub struct Loc(pub Range<usize>);

impl PartialEq for Loc {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// An attribute operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Sw,
    Ew,
    Co,
    /// Present: the attribute is not null. Takes no value.
    Pr,
}

impl Op {
    pub const ALL: [Op; 10] = [
        Op::Eq,
        Op::Ne,
        Op::Gt,
        Op::Ge,
        Op::Lt,
        Op::Le,
        Op::Sw,
        Op::Ew,
        Op::Co,
        Op::Pr,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Ne => "ne",
            Op::Gt => "gt",
            Op::Ge => "ge",
            Op::Lt => "lt",
            Op::Le => "le",
            Op::Sw => "sw",
            Op::Ew => "ew",
            Op::Co => "co",
            Op::Pr => "pr",
        }
    }

    /// The operator spelt `word`, in any case.
    pub fn from_word(word: &str) -> Option<Op> {
        Op::ALL.into_iter().find(|op| op.as_str().eq_ignore_ascii_case(word))
    }
}

/// A literal value of a comparison.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    String(String),
    /// A number as written, so that it prints back unchanged.
    Number(String),
    Bool(bool),
}

/// `attribute op value`, or `attribute pr` (then `value` is `None`).
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub attribute: String,
    pub attribute_loc: Loc,
    pub op: Op,
    pub op_loc: Loc,
    pub value: Option<Literal>,
    pub value_loc: Loc,
}

/// A filter expression. `And` and `Or` hold at least two operands, none of which is of the
/// same kind (chains are flattened), so every filter has exactly one tree.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Compare(Comparison),
    And(Vec<Expr>, Loc),
    Or(Vec<Expr>, Loc),
    Not(Box<Expr>, Loc),
}

impl Expr {
    /// `a and b`, flattening operands that are themselves `and`.
    pub fn and(operands: Vec<Expr>, loc: Loc) -> Expr {
        Self::join(operands, loc, true)
    }

    /// `a or b`, flattening operands that are themselves `or`.
    pub fn or(operands: Vec<Expr>, loc: Loc) -> Expr {
        Self::join(operands, loc, false)
    }

    fn join(operands: Vec<Expr>, loc: Loc, and: bool) -> Expr {
        let mut flat = Vec::with_capacity(operands.len());
        for operand in operands {
            match operand {
                Expr::And(inner, _) if and => flat.extend(inner),
                Expr::Or(inner, _) if !and => flat.extend(inner),
                other => flat.push(other),
            }
        }
        if flat.len() == 1 {
            return flat.pop().unwrap_or_else(|| unreachable!("one operand"));
        }
        if and { Expr::And(flat, loc) } else { Expr::Or(flat, loc) }
    }

    /// Where this node is in the filter text.
    pub fn loc(&self) -> &Loc {
        match self {
            Expr::Compare(c) => &c.attribute_loc,
            Expr::And(_, loc) | Expr::Or(_, loc) | Expr::Not(_, loc) => loc,
        }
    }

    /// Every comparison in the tree, in text order.
    pub fn comparisons(&self) -> Vec<&Comparison> {
        let mut found = Vec::new();
        self.collect(&mut found);
        found
    }

    fn collect<'a>(&'a self, found: &mut Vec<&'a Comparison>) {
        match self {
            Expr::Compare(c) => found.push(c),
            Expr::And(operands, _) | Expr::Or(operands, _) => {
                for operand in operands {
                    operand.collect(found);
                }
            }
            Expr::Not(inner, _) => inner.collect(found),
        }
    }
}
