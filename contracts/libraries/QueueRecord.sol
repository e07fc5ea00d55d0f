// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

/// @notice One queue slot's content, packed in 32 bytes:
///         | id prefix (184 bits) | eta (40 bits) | execution window (24 bits) | flags (8 bits) |
///         flags: bits 0-1 the status (0 queued, `EXECUTED`, `CANCELLED`), bit 2 `counted` (the
///         withdrawal's amount is counted against its asset's outflow limit). An empty slot is 0.
///         A final record keeps its eta, so a cancelled withdrawal's outflow period is known.
type QueueRecord is bytes32;

using QueueRecordLib for QueueRecord global;

/// @title Encoding and reading of queue-slot records.
/// @notice Builds, updates and reads the packed record of one queue slot.
/// @dev The eta is a uint40 timestamp (year 36,812); the window is at most the vault's
///      MAX_EXECUTION_WINDOW (30 days < 2^24 s). The id is truncated to 184 bits: finding another
///      operation with the same prefix as an approved one is a 2^184 second-preimage search.
library QueueRecordLib {
    uint256 internal constant EXECUTED = 1;
    uint256 internal constant CANCELLED = 2;
    uint256 private constant PREFIX_MASK = ~uint256(0) << 72;
    uint256 private constant ETA_SHIFT = 32;
    uint256 private constant ETA_MASK = type(uint40).max;
    uint256 private constant WINDOW_SHIFT = 8;
    uint256 private constant WINDOW_MASK = type(uint24).max;
    uint256 private constant STATUS_MASK = 3;
    uint256 private constant COUNTED = 4;

    /// @notice A queued record of operation `id`, executable in [eta, eta + window]; `counted`
    ///         marks a withdrawal whose amount counts against its asset's outflow limit.
    /// @param id The operation's id (its top 184 bits are kept).
    /// @param readyAt The time from which it may execute (its eta).
    /// @param window How long after eta it may execute, in seconds.
    /// @param counted Whether the withdrawal counts against its asset's outflow limit.
    /// @return The record.
    function queued(bytes32 id, uint40 readyAt, uint24 window, bool counted) internal pure returns (QueueRecord) {
        return QueueRecord.wrap(
            bytes32(
                (uint256(id) & PREFIX_MASK) | (uint256(readyAt) << ETA_SHIFT) | (uint256(window) << WINDOW_SHIFT)
                    | (counted ? COUNTED : 0)
            )
        );
    }

    /// @notice The record made final: `EXECUTED` or `CANCELLED`, eta and counted flag kept.
    /// @param record The slot's record.
    /// @param finalStatus `EXECUTED` or `CANCELLED`.
    /// @return The final record.
    function closed(QueueRecord record, uint256 finalStatus) internal pure returns (QueueRecord) {
        return QueueRecord.wrap(bytes32((uint256(QueueRecord.unwrap(record)) & ~STATUS_MASK) | finalStatus));
    }

    /// @notice The record with its `counted` flag cleared (its outflow share was given back).
    /// @param record The slot's record.
    /// @return The updated record.
    function uncounted(QueueRecord record) internal pure returns (QueueRecord) {
        return QueueRecord.wrap(bytes32(uint256(QueueRecord.unwrap(record)) & ~COUNTED));
    }

    /// @notice Whether the record belongs to operation `id` (a non-empty slot with its prefix).
    /// @param record The slot's record.
    /// @param id The operation's id.
    /// @return Whether it holds `id`.
    function holds(QueueRecord record, bytes32 id) internal pure returns (bool) {
        uint256 r = uint256(QueueRecord.unwrap(record));
        return r != 0 && (r & PREFIX_MASK) == (uint256(id) & PREFIX_MASK);
    }

    /// @notice 0 for an empty slot, `EXECUTED` or `CANCELLED` for a final record, else the eta.
    /// @param record The slot's record.
    /// @return The tag.
    function tag(QueueRecord record) internal pure returns (uint256) {
        uint256 status = uint256(QueueRecord.unwrap(record)) & STATUS_MASK;
        return status != 0 ? status : eta(record);
    }

    /// @notice The eta the record was queued with, kept when it becomes final (0 if empty).
    /// @param record The slot's record.
    /// @return The eta.
    function eta(QueueRecord record) internal pure returns (uint256) {
        return (uint256(QueueRecord.unwrap(record)) >> ETA_SHIFT) & ETA_MASK;
    }

    /// @notice The execution deadline (eta + window) of a queued record; 0 otherwise.
    /// @param record The slot's record.
    /// @return The deadline.
    function deadline(QueueRecord record) internal pure returns (uint256) {
        if (!isQueued(record)) return 0;
        return eta(record) + ((uint256(QueueRecord.unwrap(record)) >> WINDOW_SHIFT) & WINDOW_MASK);
    }

    /// @notice Whether the record holds a queued (not yet final) operation, expired or not.
    /// @param record The slot's record.
    /// @return Whether it is queued.
    function isQueued(QueueRecord record) internal pure returns (bool) {
        return tag(record) > CANCELLED;
    }

    /// @notice Whether the record is final with status `finalStatus` (`EXECUTED` or `CANCELLED`).
    /// @param record The slot's record.
    /// @param finalStatus `EXECUTED` or `CANCELLED`.
    /// @return Whether it is final with that status.
    function isClosed(QueueRecord record, uint256 finalStatus) internal pure returns (bool) {
        return uint256(QueueRecord.unwrap(record)) & STATUS_MASK == finalStatus;
    }

    /// @notice Whether the record's withdrawal counts against its asset's outflow limit.
    /// @param record The slot's record.
    /// @return Whether it is counted.
    function isCounted(QueueRecord record) internal pure returns (bool) {
        return uint256(QueueRecord.unwrap(record)) & COUNTED != 0;
    }

    /// @notice Whether a new operation may take the slot: empty, final, or expired at `now_`.
    /// @param record The slot's record.
    /// @param now_ The current time.
    /// @return Whether the slot is free.
    function isFree(QueueRecord record, uint256 now_) internal pure returns (bool) {
        uint256 r = uint256(QueueRecord.unwrap(record));
        return r == 0 || r & STATUS_MASK != 0 || now_ > _eta(r) + _window(r);
    }

    /// @notice Whether the record holds operation `id` queued (not final), and its eta and deadline.
    /// @param record The slot's record.
    /// @param id The operation's id.
    /// @return Whether `id` is queued there, its eta, and its deadline (zeros if not queued).
    function queuedTimes(QueueRecord record, bytes32 id) internal pure returns (bool, uint256, uint256) {
        uint256 r = uint256(QueueRecord.unwrap(record));
        if (!holds(record, id) || r & STATUS_MASK != 0) return (false, 0, 0);
        uint256 e = _eta(r);
        return (true, e, e + _window(r));
    }

    function _eta(uint256 r) private pure returns (uint256) {
        return (r >> ETA_SHIFT) & ETA_MASK;
    }

    function _window(uint256 r) private pure returns (uint256) {
        return (r >> WINDOW_SHIFT) & WINDOW_MASK;
    }

    /// @notice The id prefix the record stores (low 72 bits zero).
    /// @param record The slot's record.
    /// @return The id prefix.
    function idPrefix(QueueRecord record) internal pure returns (bytes32) {
        return bytes32(uint256(QueueRecord.unwrap(record)) & PREFIX_MASK);
    }
}
