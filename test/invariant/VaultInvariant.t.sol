// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ReserveVault} from "../../contracts/ReserveVault.sol";
import {ConfigAction, OperationState, Timings} from "../../contracts/interfaces/IReserveVault.sol";
import {DelayTable} from "../../contracts/libraries/DelayTable.sol";
import {ConfigRules} from "../../contracts/rules/ConfigRules.sol";
import {GuardianModule} from "../../contracts/guardians/GuardianModule.sol";
import {VaultFuzzBase} from "../fuzz/VaultFuzzBase.sol";
import {VaultHandler} from "./VaultHandler.sol";

/// @title Invariants of a vault with signers and guardians under random actions and time.
/// @notice The runner (EDR, Foundry-compatible) calls random handler actions — withdrawals queued
///         by signatures or on-chain approvals, proposals left pending, approved, revoked or
///         cancelled, executions (some forged), cancellations, replays of used nonces, delay
///         changes (queue, execute), guardian vetoes, freezes, unfreezes, recoveries (queue,
///         execute, cancel), council changes, and time jumps — and after each call checks every
///         `invariant_*` function:
///         - funds leave only through executed, quorum-approved withdrawals at or after their eta:
///           the ghost sum of legitimate executions equals the vault's initial balance minus its
///           balance, and no queue or execution the ghost model forbids ever succeeded;
///         - no cancellation, veto, freeze, unfreeze, recovery or council action succeeded that
///           the ghost model forbids (too few approvals, above the veto rate, in the cooldown …);
///         - 1 ≤ M ≤ N and 1 ≤ K ≤ G, and the council threshold inside its bounds;
///         - no freeze lasts longer than maxFreeze;
///         - the total frozen time is at most elapsed × maxFreeze / (maxFreeze + freezeCooldown)
///           + maxFreeze;
///         - every operation read through `operationState` steps only as SPEC §4's state machine
///           allows (P8), a queue slot is free exactly when its operation is final or expired and
///           a live operation's slot is never taken (P9), nonces are used once and in order and
///           epochs never go back (P6), every delay stays within its bounds (P16).
/// @dev Runs and depth are set in hardhat.config.ts (`test.solidity.invariant`). `targetContracts`
///      and `targetSelectors` (Foundry's conventions, which EDR honours) restrict the runner to the
///      handler's actions: the vault and module it creates are never called directly.
///      Foundry (1.7) runs one campaign per `invariant_*` function: each invariant adds a full
///      256 × 50 run of the handler.
///      EDR finds the handler through its artifact, which Hardhat emits only for files it
///      compiles as roots: `npx hardhat test solidity` does; to run this file alone, name the
///      handler too: `npx hardhat test solidity test/invariant/VaultHandler.sol
///      test/invariant/VaultInvariant.t.sol` (naming only this file fails with "[targetSelectors]
///      address does not have an associated contract" on a fresh build).
contract VaultInvariantTest is VaultFuzzBase {
    /// @dev Foundry's selector target (forge-std StdInvariant.FuzzSelector).
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    /// @dev VaultHandler.SLOTS (an array length must be a literal here).
    uint256 private constant SLOTS = 6;

    VaultHandler private handler;
    ReserveVault private vault;
    GuardianModule private guardianModule;

    function setUp() public {
        handler = new VaultHandler();
        vault = handler.vault();
        guardianModule = handler.module();
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory selectors = new bytes4[](20);
        selectors[0] = VaultHandler.queueWithdrawal.selector;
        selectors[1] = VaultHandler.proposeAndApprove.selector;
        selectors[2] = VaultHandler.executeWithdrawal.selector;
        selectors[3] = VaultHandler.cancel.selector;
        selectors[4] = VaultHandler.veto.selector;
        selectors[5] = VaultHandler.freeze.selector;
        selectors[6] = VaultHandler.unfreeze.selector;
        selectors[7] = VaultHandler.queueRecovery.selector;
        selectors[8] = VaultHandler.executeRecovery.selector;
        selectors[9] = VaultHandler.cancelRecovery.selector;
        selectors[10] = VaultHandler.queueCouncilChange.selector;
        selectors[11] = VaultHandler.executeCouncilChange.selector;
        selectors[12] = VaultHandler.warp.selector;
        selectors[13] = VaultHandler.warpToBoundary.selector;
        selectors[14] = VaultHandler.propose.selector;
        selectors[15] = VaultHandler.approve.selector;
        selectors[16] = VaultHandler.revoke.selector;
        selectors[17] = VaultHandler.replayWithdrawal.selector;
        selectors[18] = VaultHandler.queueDelayChange.selector;
        selectors[19] = VaultHandler.executeDelayChange.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector({addr: address(handler), selectors: selectors});
    }

    // -------------------------------------------------------------------------------------
    // Invariants
    // -------------------------------------------------------------------------------------

    /// @notice Every wei that left came from an execution of a withdrawal queued with a signer
    ///         quorum's approval, at or after its eta (and inside its window, unfrozen, current
    ///         epoch, once); no withdrawal was queued without a quorum or with a shorter delay.
    function invariant_FundsLeaveOnlyThroughQuorumApprovedExecutionsAfterEta() public view {
        _assertTrue(handler.fundsViolations() == 0, handler.firstFundsViolation());
        uint256 outflow = handler.INITIAL_BALANCE() - address(vault).balance;
        _assertEq(outflow, handler.legitOutflow(), "outflow vs legitimate executions");
    }

    /// @notice No cancellation, veto, freeze, unfreeze, recovery or council action succeeded
    ///         without its quorum, above its rate limit, during its cooldown or outside its window.
    function invariant_GuardianAndSignerRulesHold() public view {
        _assertTrue(handler.ruleViolations() == 0, handler.firstRuleViolation());
    }

    function invariant_ThresholdsWithinBounds() public view {
        (uint32 epoch, uint256 m, uint256 n,,,,) = vault.configuration();
        _assertTrue(1 <= m && m <= n, "1 <= M <= N");
        (, uint256 g, uint256 k, uint256 council) = guardianModule.guardianCounts();
        _assertTrue(1 <= k && k <= g, "1 <= K <= G");
        uint256 quorum = m > k ? m : k;
        _assertTrue(2 * council > n + g && council > quorum && council <= n + g - quorum, "council bounds");
        _assertEq(epoch, handler.ghostEpoch(), "signer epoch vs ghost");
    }

    function invariant_NoFreezeOutlastsMaxFreeze() public view {
        (,,, uint256 maxFreeze,,) = vault.guardianTimings();
        _assertTrue(handler.longestFreeze() <= maxFreeze, "a freeze longer than maxFreeze");
        uint256 until = vault.frozenUntil();
        _assertEq(until, handler.ghostFrozenUntil(), "frozenUntil vs ghost");
        _assertTrue(until == 0 || until <= handler.freezeStart() + maxFreeze, "frozenUntil beyond start + maxFreeze");
    }

    function invariant_TotalFrozenTimeBounded() public view {
        (,,, uint256 maxFreeze, uint256 cooldown,) = vault.guardianTimings();
        uint256 elapsed = handler.clock() - handler.START();
        uint256 bound = elapsed * maxFreeze / (maxFreeze + cooldown) + maxFreeze;
        _assertTrue(handler.totalFrozen() <= bound, "total frozen time above its bound");
    }

    /// @notice P8: after every action, each operation the handler proposed or queued read through
    ///         `operationState(id, slot)` made only steps SPEC §4 allows — Unknown → Pending →
    ///         Queued → Ready → Executed, or → Cancelled / Revoked / Expired; final states never
    ///         change; Executed only from Ready; Ready only in [eta, deadline]; Expired only after
    ///         the deadline; steps other than time happen only by an action on that operation. A
    ///         final operation still in its slot reads as such now.
    function invariant_OperationStatesFollowTheLifecycle() public view {
        _assertTrue(handler.stateViolations() == 0, handler.firstStateViolation());
        (bytes32[] memory ids, uint256[] memory slots, OperationState[] memory states) = handler.finalOperations();
        for (uint256 i = 0; i < ids.length; ++i) {
            _assertEq(uint256(vault.operationState(ids[i], slots[i])), uint256(states[i]), "a final operation's state");
        }
    }

    /// @notice P9: after every action, a queue slot is free exactly when the operation last queued
    ///         in it is final or expired, it keeps that operation's id prefix, eta and deadline, and
    ///         no queueing ever displaced a live (queued or ready) operation.
    function invariant_SlotFreeIffOperationFinalOrExpired() public view {
        _assertTrue(handler.slotViolations() == 0, handler.firstSlotViolation());
        _assertEq(handler.SLOTS(), SLOTS, "slot count");
        // What does not depend on the clock (the handler checks the rest after every action): a
        // slot holds the id prefix of the operation last queued in it (none: zero), and is free,
        // with no eta or deadline, when that operation is final or there is none.
        (bytes32[SLOTS] memory prefixes, bool[SLOTS] memory free) = handler.slotExpectations();
        for (uint256 slot = 0; slot < SLOTS; ++slot) {
            (bytes32 prefix, uint256 eta, uint256 deadline, bool isFree) = vault.queueSlot(slot);
            _assertEq(prefix, prefixes[slot], "a slot's id prefix vs the operation last queued in it");
            if (free[slot]) {
                _assertTrue(isFree && eta == 0 && deadline == 0, "a slot of a final operation (or none) not free");
            }
        }
    }

    /// @notice P6: each ETH withdrawal nonce is consumed once and in order (by queueing, or by
    ///         cancelling a pending proposal), replaying a used nonce always fails, and the signer
    ///         epoch only goes up: nonce and epoch equal ghost counters that only count up, after
    ///         every call.
    function invariant_NoncesAndEpochsOnlyAdvance() public view {
        _assertTrue(handler.replayViolations() == 0, handler.firstReplayViolation());
        _assertEq(vault.withdrawalNonce(address(0)), handler.ghostNonce(), "withdrawal nonce vs ghost");
        (uint32 epoch,,,,,,) = vault.configuration();
        _assertEq(epoch, handler.ghostEpoch(), "signer epoch vs ghost");
    }

    /// @notice P16: after every call, each of the ten delays lies within the bounds
    ///         ConfigRules.timingBounds derives from all the others (SPEC §5: 1 h ≤ d_w ≤ min(d_c,
    ///         d_long), d_c ≤ min(d_recovery, d_council), w > maxFreeze, d_long ≤ vetoQuietPeriod …),
    ///         and no delay change out of its bounds was ever queued.
    function invariant_DelaysWithinBounds() public view {
        _assertTrue(handler.boundViolations() == 0, handler.firstBoundViolation());
        (Timings memory t,) = vault.timings();
        (address rules,,,) = vault.withdrawalPolicy();
        for (uint256 a = uint256(ConfigAction.SetWithdrawalDelay); a <= uint256(ConfigAction.SetVetoQuietPeriod); ++a) {
            ConfigAction action = ConfigAction(a);
            if (a > uint256(ConfigAction.SetExecutionWindow) && a < uint256(ConfigAction.SetLongDelay)) continue;
            (uint256 min, uint256 max) = ConfigRules(rules).timingBounds(action, t);
            uint256 value = DelayTable.valueOf(t, action);
            if (value < min || value > max) {
                _assertEq(value, value < min ? min : max, string.concat("delay of ConfigAction ", vm.toString(a)));
            }
        }
    }
}
