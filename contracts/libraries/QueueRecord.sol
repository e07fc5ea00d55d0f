// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

/// @notice One queue slot's content, packed in 32 bytes:
///         | id prefix (192 bits) | eta or tag (32 bits) | deadline (32 bits) |
///         The eta field is 0 for an empty slot, `EXECUTED` or `CANCELLED` for a final operation,
///         otherwise the eta of a queued one, whose execution deadline is fixed when it is queued.
type QueueRecord is bytes32;

using QueueRecordLib for QueueRecord global;

/// @title Encoding and reading of queue-slot records.
/// @dev Timestamps fit 32 bits until 2106. The id is truncated to 192 bits: finding another
///      operation with the same prefix as an approved one is a 2^192 second-preimage search.
library QueueRecordLib {
    uint256 internal constant EXECUTED = 1;
    uint256 internal constant CANCELLED = 2;
    uint256 private constant PREFIX_MASK = ~uint256(0) << 64;
    uint256 private constant FIELD_MASK = type(uint32).max;

    /// @notice A queued record of operation `id`, executable in [eta, executableUntil].
    function queued(bytes32 id, uint256 eta, uint256 executableUntil) internal pure returns (QueueRecord) {
        return QueueRecord.wrap(bytes32((uint256(id) & PREFIX_MASK) | (eta << 32) | executableUntil));
    }

    /// @notice A final record (`EXECUTED` or `CANCELLED`) of operation `id`.
    function closed(bytes32 id, uint256 finalTag) internal pure returns (QueueRecord) {
        return QueueRecord.wrap(bytes32((uint256(id) & PREFIX_MASK) | (finalTag << 32)));
    }

    /// @notice Whether the record belongs to operation `id` (a non-empty slot with its prefix).
    function holds(QueueRecord record, bytes32 id) internal pure returns (bool) {
        uint256 r = uint256(QueueRecord.unwrap(record));
        return r != 0 && (r & PREFIX_MASK) == (uint256(id) & PREFIX_MASK);
    }

    /// @notice The eta field: 0 empty, `EXECUTED`, `CANCELLED`, or an eta.
    function tag(QueueRecord record) internal pure returns (uint256) {
        return (uint256(QueueRecord.unwrap(record)) >> 32) & FIELD_MASK;
    }

    /// @notice The execution deadline of a queued record (0 otherwise).
    function deadline(QueueRecord record) internal pure returns (uint256) {
        return uint256(QueueRecord.unwrap(record)) & FIELD_MASK;
    }

    /// @notice Whether the record holds a queued (not yet final) operation, expired or not.
    function isQueued(QueueRecord record) internal pure returns (bool) {
        return tag(record) > CANCELLED;
    }

    /// @notice Whether a new operation may take the slot: empty, final, or expired at `now_`.
    function isFree(QueueRecord record, uint256 now_) internal pure returns (bool) {
        return !isQueued(record) || now_ > deadline(record);
    }

    /// @notice The id prefix the record stores (low 64 bits zero).
    function idPrefix(QueueRecord record) internal pure returns (bytes32) {
        return bytes32(uint256(QueueRecord.unwrap(record)) & PREFIX_MASK);
    }
}
