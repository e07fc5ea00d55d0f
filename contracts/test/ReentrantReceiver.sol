// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {Withdrawal} from "../interfaces/IReserveVault.sol";
import {ReserveVault} from "../ReserveVault.sol";

/// @title ReentrantReceiver — TEST MOCK, never deploy
/// @notice An ETH withdrawal recipient whose `receive()` tries to re-enter the vault: it calls
///         `executeWithdrawal` on a second queued withdrawal and `queueWithdrawal` on a signed
///         one, both set beforehand. It records each attempt's outcome and revert data and never
///         reverts itself, so the outer withdrawal completes and a test can inspect what happened.
contract ReentrantReceiver {
    /// @notice Outcome of one re-entry attempt.
    struct Attempt {
        bool tried;
        bool reverted;
        bytes revertData;
    }

    ReserveVault private immutable VAULT;

    bool private _executeArmed;
    Withdrawal private _executeTarget;
    uint256 private _executeSlot;

    bool private _queueArmed;
    Withdrawal private _queueTarget;
    uint256 private _queueSlot;
    bytes private _queueSignatures;

    Attempt private _executeAttempt;
    Attempt private _queueAttempt;

    /// @notice Deploys the receiver for `vault`.
    /// @param vault The vault to re-enter.
    constructor(ReserveVault vault) {
        VAULT = vault;
    }

    /// @notice On the next ETH receipt, try `executeWithdrawal(w, slot)` on the vault.
    /// @param w The queued withdrawal to execute.
    /// @param slot Its queue slot.
    function setExecuteTarget(Withdrawal calldata w, uint256 slot) external {
        _executeTarget = w;
        _executeSlot = slot;
        _executeArmed = true;
    }

    /// @notice On the next ETH receipt, try `queueWithdrawal(w, slot, signatures)` on the vault.
    /// @param w The withdrawal to queue.
    /// @param slot The queue slot to queue it in.
    /// @param signatures Its signatures.
    function setQueueTarget(Withdrawal calldata w, uint256 slot, bytes calldata signatures) external {
        _queueTarget = w;
        _queueSlot = slot;
        _queueSignatures = signatures;
        _queueArmed = true;
    }

    /// @notice Outcome of the last re-entrant `executeWithdrawal` attempt.
    function executeAttempt() external view returns (Attempt memory) {
        return _executeAttempt;
    }

    /// @notice Outcome of the last re-entrant `queueWithdrawal` attempt.
    function queueAttempt() external view returns (Attempt memory) {
        return _queueAttempt;
    }

    /// @notice Accepts ETH, then makes each armed re-entry attempt once and records its outcome.
    /// @dev Never reverts: a failed attempt is caught and recorded. Complex on purpose: re-entering
    ///      from the ETH transfer is what this mock tests (no-complex-fallback disabled here).
    receive() external payable { // solhint-disable-line no-complex-fallback
        if (_executeArmed) {
            _executeArmed = false;
            try VAULT.executeWithdrawal(_executeTarget, _executeSlot) {
                _executeAttempt = Attempt({tried: true, reverted: false, revertData: ""});
            } catch (bytes memory reason) {
                _executeAttempt = Attempt({tried: true, reverted: true, revertData: reason});
            }
        }
        if (_queueArmed) {
            _queueArmed = false;
            try VAULT.queueWithdrawal(_queueTarget, _queueSlot, _queueSignatures) {
                _queueAttempt = Attempt({tried: true, reverted: false, revertData: ""});
            } catch (bytes memory reason) {
                _queueAttempt = Attempt({tried: true, reverted: true, revertData: reason});
            }
        }
    }
}
