// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ReserveVault} from "../ReserveVault.sol";

/// @title ReentrantReceiver — TEST MOCK, never deploy
/// @notice An ETH withdrawal recipient whose `receive()` re-enters the vault: it makes each vault
///         call set beforehand with {setCalls} (e.g. `executeWithdrawal` of a second queued
///         withdrawal, `queueWithdrawal` of a signed one). It records each call's outcome and
///         return or revert data and never reverts itself, so the outer withdrawal completes and a test can
///         inspect what happened.
contract ReentrantReceiver {
    /// @notice Outcome of one re-entrant call.
    struct Attempt {
        bool reverted;
        bytes returnData; // what the call returned, or its revert data
    }

    ReserveVault private immutable VAULT;

    bytes[] private _calls;
    Attempt[] private _attempts;

    /// @notice Deploys the receiver for `vault`.
    /// @param vault The vault to re-enter.
    constructor(ReserveVault vault) {
        VAULT = vault;
    }

    /// @notice On the next ETH receipt, make each of `calls` (ABI-encoded vault calls), in order.
    /// @param calls The calls to make; replaces any earlier list and its outcomes.
    function setCalls(bytes[] calldata calls) external {
        delete _calls;
        delete _attempts;
        for (uint256 i = 0; i < calls.length; ++i) {
            _calls.push(calls[i]);
        }
    }

    /// @notice Outcomes of the calls set by {setCalls}, in order (empty until they are made).
    function attempts() external view returns (Attempt[] memory) {
        return _attempts;
    }

    /// @notice Accepts ETH, then makes each call set by {setCalls} once and records its outcome.
    /// @dev Never reverts: a failed call is recorded. Complex on purpose: re-entering from the ETH
    ///      transfer is what this mock tests (no-complex-fallback disabled here).
    receive() external payable { // solhint-disable-line no-complex-fallback
        bytes[] memory calls = _calls;
        delete _calls;
        for (uint256 i = 0; i < calls.length; ++i) {
            // A low-level call on purpose: the test gives each call's encoding and reads its revert data.
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory answer) = address(VAULT).call(calls[i]);
            _attempts.push(Attempt({reverted: !ok, returnData: answer}));
        }
    }
}
