// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

// block.timestamp is the timelock's clock here (etas, execution windows, freezes, outflow
// periods), compared against delays of at least a minute and never used as randomness; the few
// seconds a block producer can shift it cannot matter at that scale (docs/AUDIT.md, Lint).
// solhint-disable not-rely-on-time

import {ConfigAction, ConfigChange, DelayReason} from "../interfaces/IReserveVault.sol";
import {AssetState} from "../libraries/AssetState.sol";
import {MemberSet} from "../libraries/MemberSet.sol";
import {MembershipRules} from "../libraries/MembershipRules.sol";
import {QueueRecord, QueueRecordLib} from "../libraries/QueueRecord.sol";
import {VaultState} from "./VaultState.sol";

/// @title Risk-scaled delays: per-asset outflow limits and a destination allowlist.
/// @notice A withdrawal waits the normal withdrawal delay only if it is routine: outside a
///         recovery cool-off, to an allowed destination (when the allowlist is on), and within its
///         asset's outflow limit for the period of its eta. Anything else waits the long delay.
///         The rule is deterministic and readable before signing ({ReserveVault-delayFor}).
/// @dev Accounting: per asset, `used` sums the amounts of counted (normal-delay) withdrawals whose
///      eta falls in period `period` (eta / OUTFLOW_PERIOD). Periods only move forward; a
///      withdrawal whose period is older than the asset's current one is never counted (it gets the
///      long delay). A counted withdrawal that is cancelled, vetoed, expires or dies with its epoch
///      gives its share back ({_release}) while its period is the current one. Hence, per asset and
///      period, the counted withdrawals that can still execute total at most the limit.
abstract contract WithdrawalPolicy is VaultState {
    /// @dev The outflow period in seconds (immutable, set at deployment).
    function _outflowPeriod() internal view virtual returns (uint256);

    /// @dev The delay a withdrawal of `amount` to `to`, queued now, gets, and why; whether its
    ///      amount counts against the limit, and in which period. `lists` is the member-lists blob
    ///      if the caller has it (else empty: it is loaded when the allowlist is on).
    function _assess(Core memory core, AssetState a, address to, uint256 amount, bytes memory lists)
        internal
        view
        returns (uint256 delay, DelayReason reason, bool counted, uint256 period)
    {
        if (block.timestamp < core.coolOffUntil) return (_timing.longDelay, DelayReason.RecoveryCoolOff, false, 0);
        if (core.allowlistEnabled) {
            if (lists.length == 0) lists = _memberLists(core);
            if (!MemberSet.containsFrom(lists, core.signerCount, to)) {
                return (_timing.longDelay, DelayReason.UnknownDestination, false, 0);
            }
        }
        uint256 limit = a.limit();
        if (limit == UNLIMITED) return (core.withdrawalDelay, DelayReason.WithinLimit, false, 0);
        period = (block.timestamp + core.withdrawalDelay) / _outflowPeriod();
        uint256 used = a.period() == period ? a.used() : 0;
        // A period behind the asset's (the withdrawal delay was shortened) is never counted.
        if (period < a.period() || used > limit || amount > limit - used) {
            return (_timing.longDelay, DelayReason.OverLimit, false, 0);
        }
        return (core.withdrawalDelay, DelayReason.WithinLimit, true, period);
    }

    /// @dev `a` with a counted withdrawal's amount added to its period (after {_assess} allowed
    ///      it: period < 2^32 as eta < 2^40 and periods are >= 1 hour; used + amount <= limit < 2^96).
    function _count(AssetState a, uint256 period, uint256 amount) internal pure returns (AssetState) {
        uint256 used = a.period() == period ? a.used() : 0;
        return a.withUsage(period, used + amount);
    }

    /// @dev Gives back the share of counted withdrawal `id` (of `asset`, `amount`) queued in `slot`,
    ///      if it can no longer execute: cancelled or vetoed, expired, or of an old epoch (`dead`).
    ///      The share returns to `used` only while the withdrawal's period is the asset's counted
    ///      one and new withdrawals can still fall in it (older periods no longer matter); either
    ///      way the record stops being counted.
    function _release(bytes32 id, uint256 slot, address asset, uint256 amount, bool oldEpoch, Core memory core)
        internal
    {
        QueueRecord record = _queue[slot];
        bool dead = record.isClosed(QueueRecordLib.CANCELLED)
            || (record.isQueued() && (oldEpoch || block.timestamp > record.deadline()));
        if (!record.holds(id) || !record.isCounted() || !dead) revert NothingToRelease(id, slot);
        _queue[slot] = record.uncounted();
        AssetState a = _assets[asset];
        uint256 period = record.eta() / _outflowPeriod();
        // Only the asset's counted period, and only while new withdrawals can still fall in it.
        if (period == a.period() && period >= (block.timestamp + core.withdrawalDelay) / _outflowPeriod()) {
            // A counted amount of the current period is still part of `used` (no underflow).
            _assets[asset] = a.withUsage(a.period(), a.used() - amount);
        } else {
            amount = 0;
        }
        emit OutflowReleased(id, asset, amount);
    }

    // =========================================================================================
    // Changing the policy (validated by ConfigRules): loosening waits the configuration delay,
    // tightening applies when approved
    // =========================================================================================

    /// @dev Applies a validated policy change.
    function _applyPolicyChange(ConfigChange calldata c, Core memory core) internal {
        ConfigAction action = c.action;
        if (action == ConfigAction.SetOutflowLimit) {
            AssetState a = _assets[c.account];
            emit OutflowLimitChanged(c.account, a.limit(), c.value);
            // Validated <= UNLIMITED = 2^96 - 1.
            _assets[c.account] = a.withLimit(c.value);
        } else if (action == ConfigAction.SetAllowlistEnabled) {
            emit AllowlistEnabledChanged(core.allowlistEnabled, c.value == 1);
            _core.allowlistEnabled = c.value == 1;
        } else {
            bytes memory lists = _memberLists(core);
            address[] memory list = _allowlist(lists, core.signerCount);
            bool allow = action == ConfigAction.AllowDestination;
            list = allow ? MembershipRules.insert(list, c.account) : MembershipRules.remove(list, c.account);
            uint32 version = core.listVersion + 1;
            _writeLists(core.epoch, version, MemberSet.truncate(lists, core.signerCount), list);
            _core.listVersion = version;
            emit AllowlistEntryChanged(c.account, !allow, allow);
        }
    }

    /// @dev Writes the member lists of (`epoch`, `version`): packed signers, then the allowlist.
    function _writeLists(uint32 epoch, uint32 version, bytes memory signerSet, address[] memory allowlist) internal {
        MemberSet.writePacked(_listSalt(epoch, version), bytes.concat(signerSet, MemberSet.pack(allowlist)));
    }
}
