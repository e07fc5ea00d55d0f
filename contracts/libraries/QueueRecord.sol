// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

/// @notice One queue slot's content, packed in 32 bytes:
///         | id prefix (184 bits) | eta or tag (48 bits) | execution window (24 bits) |
///         The eta field is 0 for an empty slot, `EXECUTED` or `CANCELLED` for a final operation,
///         otherwise the eta of a queued one, whose deadline (eta + window) is fixed when queued.
type QueueRecord is bytes32;

using QueueRecordLib for QueueRecord global;

/// @title Encoding and reading of queue-slot records.
/// @dev The eta is a uint48 timestamp; the window is at most the vault's MAX_EXECUTION_WINDOW
///      (30 days < 2^24 s). The id is truncated to 184 bits: finding another operation with the
///      same prefix as an approved one is a 2^184 second-preimage search.
library QueueRecordLib {
    uint256 internal constant EXECUTED = 1;
    uint256 internal constant CANCELLED = 2;
    uint256 private constant PREFIX_MASK = ~uint256(0) << 72;
    uint256 private constant ETA_SHIFT = 24;
    uint256 private constant ETA_MASK = type(uint48).max;
    uint256 private constant WINDOW_MASK = type(uint24).max;

    /// @notice A queued record of operation `id`, executable in [eta, eta + window].
    function queued(bytes32 id, uint48 eta, uint24 window) internal pure returns (QueueRecord) {
        return QueueRecord.wrap(bytes32((uint256(id) & PREFIX_MASK) | (uint256(eta) << ETA_SHIFT) | window));
    }

    /// @notice A final record (`EXECUTED` or `CANCELLED`) of operation `id`.
    function closed(bytes32 id, uint256 finalTag) internal pure returns (QueueRecord) {
        return QueueRecord.wrap(bytes32((uint256(id) & PREFIX_MASK) | (finalTag << ETA_SHIFT)));
    }

    /// @notice Whether the record belongs to operation `id` (a non-empty slot with its prefix).
    function holds(QueueRecord record, bytes32 id) internal pure returns (bool) {
        uint256 r = uint256(QueueRecord.unwrap(record));
        return r != 0 && (r & PREFIX_MASK) == (uint256(id) & PREFIX_MASK);
    }

    /// @notice The eta field: 0 empty, `EXECUTED`, `CANCELLED`, or an eta.
    function tag(QueueRecord record) internal pure returns (uint256) {
        return (uint256(QueueRecord.unwrap(record)) >> ETA_SHIFT) & ETA_MASK;
    }

    /// @notice The execution deadline (eta + window) of a queued record; 0 otherwise.
    function deadline(QueueRecord record) internal pure returns (uint256) {
        if (!isQueued(record)) return 0;
        return tag(record) + (uint256(QueueRecord.unwrap(record)) & WINDOW_MASK);
    }

    /// @notice Whether the record holds a queued (not yet final) operation, expired or not.
    function isQueued(QueueRecord record) internal pure returns (bool) {
        return tag(record) > CANCELLED;
    }

    /// @notice Whether a new operation may take the slot: empty, final, or expired at `now_`.
    function isFree(QueueRecord record, uint256 now_) internal pure returns (bool) {
        return !isQueued(record) || now_ > deadline(record);
    }

    /// @notice The id prefix the record stores (low 72 bits zero).
    function idPrefix(QueueRecord record) internal pure returns (bytes32) {
        return bytes32(uint256(QueueRecord.unwrap(record)) & PREFIX_MASK);
    }
}
