// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IReserveVaultErrors} from "../interfaces/IReserveVault.sol";

/// @notice One asset's state, packed by hand in 32 bytes so that queueing a withdrawal reads and
///         writes it once (a struct assignment compiles to a read-modify-write per field):
///         | limit (96 bits) | used (96 bits) | period (32 bits) | nonce (32 bits) |
///         nonce: the next withdrawal nonce (withdrawals of one asset are queued in nonce order);
///         period: index (eta / OUTFLOW_PERIOD) of the period `used` counts; used: amount of counted
///         withdrawals with an eta in that period (<= limit); limit: per period, 0 = every
///         withdrawal waits the long delay, 2^96 - 1 = UNLIMITED (not counted).
type AssetState is bytes32;

using AssetStateLib for AssetState global;

/// @title Reading and updating a packed AssetState.
/// @notice Getters and pure updates of the four fields; the caller writes the result back.
library AssetStateLib {
    uint256 private constant U32 = type(uint32).max;
    uint256 private constant U96 = type(uint96).max;
    uint256 private constant PERIOD_SHIFT = 32;
    uint256 private constant USED_SHIFT = 64;
    uint256 private constant LIMIT_SHIFT = 160;

    function nonce(AssetState a) internal pure returns (uint32) {
        return uint32(uint256(AssetState.unwrap(a)));
    }

    function period(AssetState a) internal pure returns (uint256) {
        return (uint256(AssetState.unwrap(a)) >> PERIOD_SHIFT) & U32;
    }

    function used(AssetState a) internal pure returns (uint256) {
        return (uint256(AssetState.unwrap(a)) >> USED_SHIFT) & U96;
    }

    function limit(AssetState a) internal pure returns (uint256) {
        return uint256(AssetState.unwrap(a)) >> LIMIT_SHIFT;
    }

    /// @notice The state with the nonce advanced by one (reverts past 2^32 - 1).
    /// @param a The asset's state.
    /// @return The updated state.
    function nextNonce(AssetState a) internal pure returns (AssetState) {
        if (nonce(a) == U32) revert IReserveVaultErrors.WithdrawalNonceExhausted();
        return AssetState.wrap(bytes32(uint256(AssetState.unwrap(a)) + 1));
    }

    /// @notice The state with `used` counted in period `newPeriod` (both checked by the caller to
    ///         fit: period < 2^32, used <= limit < 2^96).
    /// @param a The asset's state.
    /// @param newPeriod The period index (eta / OUTFLOW_PERIOD) `used` counts.
    /// @param newUsed The amount counted in that period.
    /// @return The updated state.
    function withUsage(AssetState a, uint256 newPeriod, uint256 newUsed) internal pure returns (AssetState) {
        uint256 kept = uint256(AssetState.unwrap(a)) & ((U96 << LIMIT_SHIFT) | U32);
        return AssetState.wrap(bytes32(kept | (newPeriod << PERIOD_SHIFT) | (newUsed << USED_SHIFT)));
    }

    /// @notice The state with limit `newLimit` (<= 2^96 - 1, checked by the caller).
    /// @param a The asset's state.
    /// @param newLimit The new outflow limit per period.
    /// @return The updated state.
    function withLimit(AssetState a, uint256 newLimit) internal pure returns (AssetState) {
        uint256 kept = uint256(AssetState.unwrap(a)) & ~(U96 << LIMIT_SHIFT);
        return AssetState.wrap(bytes32(kept | (newLimit << LIMIT_SHIFT)));
    }
}
