//! BLAKE3 Merkle trees shaped as RFC 9162 (Certificate Transparency v2) shapes them: the root
//! over a commit's entry hashes and over a receipt's commit hashes, inclusion paths, and their
//! verification.
//!
//! ```text
//! leaf node = BLAKE3(0x00 ‖ leaf)              (leaf: an entry hash or a commit hash)
//! inner     = BLAKE3(0x01 ‖ left ‖ right)
//! root of n leaves: the left subtree holds the largest power of two below n, as RFC 9162 2.1.1
//! ```
//!
//! Invariants:
//! - `root`, `levels` and `verify_path` agree with RFC 9162's recursive definitions
//!   (MTH, PATH and the 2.1.3.2 verification), with BLAKE3 for SHA-256.
//! - A path is accepted only when it has exactly the length its (index, size) gives, so one
//!   leaf has one path.
//!
//! See: docs/FORMAT.md#commits

use crate::{Error, Result, VerifyError};

/// Most siblings a path can hold: a tree of at most `u32::MAX` leaves is at most 32 deep.
pub const MAX_PATH_LEN: usize = 32;

/// A 32-byte node of a Merkle tree (a domain-separated leaf or an inner node).
pub type Node = [u8; 32];

/// The leaf node of `leaf`.
pub(crate) fn leaf_node(leaf: &[u8; 32]) -> Node {
    let mut hasher = blake3::Hasher::new();
    hasher.update(&[0x00]);
    hasher.update(leaf);
    *hasher.finalize().as_bytes()
}

/// The inner node over two children.
pub(crate) fn inner_node(left: &Node, right: &Node) -> Node {
    let mut input = [0u8; 65];
    input[0] = 0x01;
    input[1..33].copy_from_slice(left);
    input[33..].copy_from_slice(right);
    *blake3::hash(&input).as_bytes()
}

/// The root over `leaves`, in order; `None` for no leaves (MindooDB trees are never empty).
pub(crate) fn root<'a>(leaves: impl ExactSizeIterator<Item = &'a [u8; 32]>) -> Option<Node> {
    let mut level: Vec<Node> = leaves.map(leaf_node).collect();
    if level.is_empty() {
        return None;
    }
    while level.len() > 1 {
        level = next_level(&level);
    }
    level.pop()
}

/// Every level of the tree, leaves' nodes first, root last. Pairing neighbours and carrying an
/// odd last node up unchanged gives exactly RFC 9162's shape.
pub(crate) fn levels<'a>(leaves: impl ExactSizeIterator<Item = &'a [u8; 32]>) -> Vec<Vec<Node>> {
    let mut levels = vec![leaves.map(leaf_node).collect::<Vec<Node>>()];
    while let Some(last) = levels.last()
        && last.len() > 1
    {
        let next = next_level(last);
        levels.push(next);
    }
    levels
}

/// The siblings of leaf `index`, from the leaf up, read off `levels`.
pub(crate) fn path_from_levels(levels: &[Vec<Node>], index: u32) -> Vec<Node> {
    let mut at = index as usize;
    let mut siblings = Vec::with_capacity(levels.len());
    for level in levels {
        let sibling = at ^ 1;
        if sibling < level.len() {
            siblings.push(level[sibling]);
        }
        at >>= 1;
    }
    siblings
}

/// The inclusion path of leaf `index` among `leaves` (entry hashes of a commit, commit hashes
/// of a receipt), building the tree: O(n). `None` past the last leaf.
pub fn merkle_path<'a>(
    leaves: impl ExactSizeIterator<Item = &'a [u8; 32]>,
    index: u32,
) -> Option<InclusionPath> {
    merkle_paths(leaves, &[index]).map(|mut paths| paths.remove(0))
}

/// The inclusion paths of the leaves at `indexes`, building the tree once: O(n) for all of
/// them. `None` when an index is past the last leaf.
pub fn merkle_paths<'a>(
    leaves: impl ExactSizeIterator<Item = &'a [u8; 32]>,
    indexes: &[u32],
) -> Option<Vec<InclusionPath>> {
    let n = leaves.len();
    if indexes.iter().any(|&index| index as usize >= n) {
        return None;
    }
    let levels = levels(leaves);
    Some(
        indexes
            .iter()
            .map(|&index| InclusionPath {
                index,
                // At most 32: the tree of a u32-indexed leaf is at most 32 deep.
                siblings: path_from_levels(&levels, index),
            })
            .collect(),
    )
}

fn next_level(level: &[Node]) -> Vec<Node> {
    level
        .chunks(2)
        .map(|pair| match pair {
            [left, right] => inner_node(left, right),
            [odd] => *odd,
            _ => unreachable!("chunks(2) yields one or two nodes"),
        })
        .collect()
}

/// The proof that one leaf is in a tree of known size: its index and its siblings, leaf up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InclusionPath {
    index: u32,
    siblings: Vec<Node>, // Invariant: at most MAX_PATH_LEN.
}

impl InclusionPath {
    /// A path from its parts; its length is checked against the tree when it is verified.
    pub fn new(index: u32, siblings: Vec<Node>) -> Result<InclusionPath> {
        if siblings.len() > MAX_PATH_LEN {
            return Err(Error::Oversize {
                field: "inclusion path",
                len: siblings.len(),
                max: MAX_PATH_LEN,
            });
        }
        Ok(InclusionPath { index, siblings })
    }

    /// The leaf's position, from 0.
    pub fn index(&self) -> u32 {
        self.index
    }

    /// The sibling nodes, from the leaf up.
    pub fn siblings(&self) -> &[Node] {
        &self.siblings
    }

    /// `index u32 ‖ n u8 ‖ n × 32`, little-endian.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_len());
        self.encode_into(&mut out);
        out
    }

    /// Appends the encoding to `out`.
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.index.to_le_bytes());
        // At most MAX_PATH_LEN, checked at construction.
        out.push(self.siblings.len() as u8);
        for node in &self.siblings {
            out.extend_from_slice(node);
        }
    }

    /// Length of `encode`'s output.
    pub fn encoded_len(&self) -> usize {
        5 + 32 * self.siblings.len()
    }

    /// Reads a path from the front of `bytes`; returns it and the bytes it took.
    pub fn decode_prefix(bytes: &[u8]) -> Result<(InclusionPath, usize)> {
        let fixed = bytes
            .get(..5)
            .ok_or(Error::Malformed("inclusion path shorter than 5 bytes"))?;
        let index = u32::from_le_bytes([fixed[0], fixed[1], fixed[2], fixed[3]]);
        let n = usize::from(fixed[4]);
        if n > MAX_PATH_LEN {
            return Err(Error::Oversize {
                field: "inclusion path",
                len: n,
                max: MAX_PATH_LEN,
            });
        }
        let len = 5 + 32 * n;
        let nodes = bytes
            .get(5..len)
            .ok_or(Error::Malformed("truncated inclusion path"))?;
        let siblings = nodes
            .chunks_exact(32)
            .map(|c| {
                c.try_into()
                    .unwrap_or_else(|_| unreachable!("chunks_exact(32)"))
            })
            .collect();
        Ok((InclusionPath { index, siblings }, len))
    }

    /// Decodes exactly one path.
    pub fn decode(bytes: &[u8]) -> Result<InclusionPath> {
        let (path, len) = InclusionPath::decode_prefix(bytes)?;
        if len != bytes.len() {
            return Err(Error::TrailingBytes);
        }
        Ok(path)
    }

    /// Checks that `leaf` at this path's index is in the tree of `size` leaves with `root`
    /// (RFC 9162 2.1.3.2).
    pub(crate) fn verify(
        &self,
        leaf: &[u8; 32],
        size: u32,
        root: &Node,
    ) -> Result<(), VerifyError> {
        if self.index >= size {
            return Err(VerifyError::BadPath);
        }
        let mut index = self.index;
        let mut last = size - 1;
        let mut node = leaf_node(leaf);
        for sibling in &self.siblings {
            if last == 0 {
                return Err(VerifyError::BadPath);
            }
            if index & 1 == 1 || index == last {
                node = inner_node(sibling, &node);
                // A right-edge node without a sibling at this level moves up unchanged.
                while index & 1 == 0 && index != 0 {
                    index >>= 1;
                    last >>= 1;
                }
            } else {
                node = inner_node(&node, sibling);
            }
            index >>= 1;
            last >>= 1;
        }
        if last != 0 {
            return Err(VerifyError::BadPath);
        }
        if node != *root {
            return Err(VerifyError::NotInTree);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 9162's MTH, written as the RFC writes it, to check the level-wise construction.
    fn mth(leaves: &[[u8; 32]]) -> Node {
        match leaves.len() {
            1 => leaf_node(&leaves[0]),
            n => {
                let k = split(n);
                inner_node(&mth(&leaves[..k]), &mth(&leaves[k..]))
            }
        }
    }

    /// RFC 9162's PATH(m, D[n]).
    fn rfc_path(m: usize, leaves: &[[u8; 32]]) -> Vec<Node> {
        let n = leaves.len();
        if n == 1 {
            return Vec::new();
        }
        let k = split(n);
        if m < k {
            let mut path = rfc_path(m, &leaves[..k]);
            path.push(mth(&leaves[k..]));
            path
        } else {
            let mut path = rfc_path(m - k, &leaves[k..]);
            path.push(mth(&leaves[..k]));
            path
        }
    }

    /// The largest power of two smaller than n (n ≥ 2).
    fn split(n: usize) -> usize {
        let mut k = 1;
        while k * 2 < n {
            k *= 2;
        }
        k
    }

    fn leaves(n: usize) -> Vec<[u8; 32]> {
        (0..n)
            .map(|i| *blake3::hash(&i.to_le_bytes()).as_bytes())
            .collect()
    }

    #[test]
    fn roots_and_paths_match_the_rfc_definitions_for_every_size_up_to_70() {
        for n in 1..=70 {
            let leaves = leaves(n);
            let levels = levels(leaves.iter());
            let top = levels.last().unwrap();
            assert_eq!(top.len(), 1);
            assert_eq!(top[0], mth(&leaves), "root of {n}");
            assert_eq!(root(leaves.iter()), Some(mth(&leaves)));
            for m in 0..n {
                let path = path_from_levels(&levels, m as u32);
                assert_eq!(path, rfc_path(m, &leaves), "path of {m} in {n}");
                let path = InclusionPath::new(m as u32, path).unwrap();
                assert_eq!(path.verify(&leaves[m], n as u32, &top[0]), Ok(()));
                let other = leaves[(m + 1) % n];
                if n > 1 {
                    assert_eq!(
                        path.verify(&other, n as u32, &top[0]),
                        Err(VerifyError::NotInTree)
                    );
                }
            }
        }
    }

    #[test]
    fn a_path_of_the_wrong_length_or_index_is_refused() {
        let leaves = leaves(5);
        let levels = levels(leaves.iter());
        let root = levels.last().unwrap()[0];
        let good = path_from_levels(&levels, 2);
        let mut long = good.clone();
        long.push(root);
        let short = good[..good.len() - 1].to_vec();
        for siblings in [long, short] {
            let path = InclusionPath::new(2, siblings).unwrap();
            assert!(path.verify(&leaves[2], 5, &root).is_err());
        }
        let path = InclusionPath::new(5, good).unwrap();
        assert_eq!(path.verify(&leaves[2], 5, &root), Err(VerifyError::BadPath));
        let none: [[u8; 32]; 0] = [];
        assert_eq!(super::root(none.iter()), None);
    }

    #[test]
    fn leaf_and_inner_nodes_are_domain_separated() {
        let a = [1u8; 32];
        let b = [2u8; 32];
        let mut concat = [0u8; 64];
        concat[..32].copy_from_slice(&a);
        concat[32..].copy_from_slice(&b);
        // An inner node is never the hash of its children's bytes alone, nor a leaf node.
        assert_ne!(inner_node(&a, &b), *blake3::hash(&concat).as_bytes());
        assert_ne!(leaf_node(&a), *blake3::hash(&a).as_bytes());
    }

    #[test]
    fn encoding_round_trips_and_rejects_trailing_bytes() {
        let path = InclusionPath::new(7, vec![[3; 32], [4; 32]]).unwrap();
        let bytes = path.encode();
        assert_eq!(bytes.len(), path.encoded_len());
        assert_eq!(InclusionPath::decode(&bytes).unwrap(), path);
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(InclusionPath::decode(&longer).is_err());
        assert!(InclusionPath::decode(&bytes[..bytes.len() - 1]).is_err());
    }
}
