// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {
    ChangeEffect, ConfigAction, ConfigChange, IReserveVaultErrors, RulesSnapshot, Timings
} from "../interfaces/IReserveVault.sol";
import {DelayTable} from "../libraries/DelayTable.sol";
import {MembershipRules} from "../libraries/MembershipRules.sol";
import {OperationHashing} from "../libraries/OperationHashing.sol";
import {VaultBounds} from "../libraries/VaultBounds.sol";

/// @title The public views of a ReserveVault that the rules read.
/// @notice A subset of ReserveVault's external interface (see ReserveVault for each view).
interface IVaultViews {
    /// @notice Epoch, M, N, the three signer-side delays and the configuration nonce; the rules
    ///         read only the threshold M.
    function configuration()
        external
        view
        returns (uint32, uint256 threshold, uint256, uint256, uint256, uint256, uint32);
    /// @notice Every delay, and the end of a recovery cool-off.
    /// @return delays Every delay, in seconds.
    /// @return coolOffUntil The end of the current or last recovery cool-off.
    function timings() external view returns (Timings memory delays, uint256 coolOffUntil);
    /// @notice The current signers, sorted ascending.
    /// @return The signers.
    function signers() external view returns (address[] memory);
    /// @notice The withdrawal policy's fixed parts and allowlist.
    /// @return rules The ConfigRules contract the vault consults.
    /// @return outflowPeriod The outflow period, in seconds.
    /// @return allowlistEnabled Whether the allowlist is on.
    /// @return allowlist The allowed destinations, sorted.
    function withdrawalPolicy()
        external
        view
        returns (address rules, uint256 outflowPeriod, bool allowlistEnabled, address[] memory allowlist);
    /// @notice An asset's outflow limit and usage.
    /// @param asset The asset (address(0) = ETH).
    /// @return limit The outflow limit per period.
    /// @return used The amount counted in the period of a withdrawal queued now.
    /// @return resetsAt From when a queued withdrawal falls in the next period.
    function outflow(address asset) external view returns (uint256 limit, uint256 used, uint256 resetsAt);
    /// @notice The vault's guardian module.
    /// @return The module.
    function GUARDIANS() external view returns (IGuardianViews);
}

/// @title The public views of a GuardianModule that the rules read.
/// @notice A subset of GuardianModule's external interface.
interface IGuardianViews {
    /// @notice Guardian epoch, G, K and C; the rules read K and C.
    function guardianCounts() external view returns (uint32, uint256, uint256 guardianThreshold, uint256 council);
    /// @notice The current guardians, sorted ascending.
    /// @return The guardians.
    function guardians() external view returns (address[] memory);
}

/// @title ConfigRules — every rule a configuration change must satisfy, in one stateless contract.
/// @notice Given a change and a vault, it reads the vault's configuration of the moment through
///         the vault's public views and reverts with the broken rule (the vault's own errors), or
///         returns whether the change tightens the withdrawal policy. The vault consults it by a
///         static call (never a delegatecall) when a change is proposed, queued and executed; tools
///         call it to check a change before anyone signs it, or `checkChangeAgainst` to check one
///         against a configuration that is not deployed. Holds no state and no funds.
/// @dev A separate contract so that the vault stays under the 24 KB code limit (EIP-170). Rules:
///      fields an action does not use are zero; membership (MembershipRules: counts, thresholds,
///      council bounds, disjoint groups); delays (`timingBounds`: every inequality between delays is
///      the bound of both of its sides, so checking each changed value keeps all of them true);
///      policy (limits <= UNLIMITED, allowlist entries distinct, non-zero, at most MAX_ALLOWLIST).
contract ConfigRules is IReserveVaultErrors {
    /// @notice Largest signer set.
    uint256 public constant MAX_SIGNERS = MembershipRules.MAX_SIGNERS;
    /// @notice Largest guardian set.
    uint256 public constant MAX_GUARDIANS = MembershipRules.MAX_GUARDIANS;
    /// @notice Shortest withdrawal delay (and cool-off).
    uint256 public constant MIN_DELAY = VaultBounds.MIN_DELAY;
    /// @notice Longest delay of any kind (every delay's ceiling).
    uint256 public constant MAX_DELAY = VaultBounds.MAX_DELAY;
    /// @notice Shortest execution window that follows an operation's eta.
    uint256 public constant MIN_EXECUTION_WINDOW = VaultBounds.MIN_EXECUTION_WINDOW;
    /// @notice Longest execution window that follows an operation's eta.
    uint256 public constant MAX_EXECUTION_WINDOW = VaultBounds.MAX_EXECUTION_WINDOW;
    /// @notice Shortest `maxFreeze`.
    uint256 public constant MIN_FREEZE = VaultBounds.MIN_FREEZE;
    /// @notice Largest destination allowlist.
    uint256 public constant MAX_ALLOWLIST = VaultBounds.MAX_ALLOWLIST;
    /// @notice Largest outflow limit, which also means "no limit".
    uint256 public constant UNLIMITED = VaultBounds.UNLIMITED;
    /// @notice Shortest outflow period of a vault.
    uint256 public constant MIN_OUTFLOW_PERIOD = VaultBounds.MIN_OUTFLOW_PERIOD;
    /// @notice Longest outflow period of a vault.
    uint256 public constant MAX_OUTFLOW_PERIOD = VaultBounds.MAX_OUTFLOW_PERIOD;

    /// @notice Checks `c` against `vault`'s current configuration; reverts with the broken rule.
    /// @param c The configuration change.
    /// @param vault The vault whose configuration of the moment it is checked against.
    /// @return effect Tightening (lowers a limit, removes an allowlist entry, turns the allowlist
    ///         on: only these may skip the delay), Loosening (raises a limit, allows a destination,
    ///         turns the allowlist off, shortens the withdrawal or long delay: these wait at least
    ///         the long delay, so that no change lets funds out sooner than the long delay would),
    ///         or Neutral.
    function checkChange(ConfigChange calldata c, IVaultViews vault) external view returns (ChangeEffect effect) {
        return checkChangeAgainst(c, snapshotOf(vault, c.account));
    }

    /// @notice `vault`'s configuration as the rules see it (`asset`: whose limit to include).
    /// @param vault The vault.
    /// @param asset The asset whose outflow limit to include (address(0) = ETH).
    /// @return s The snapshot.
    function snapshotOf(IVaultViews vault, address asset) public view returns (RulesSnapshot memory s) {
        IGuardianViews module = vault.GUARDIANS();
        (, s.threshold,,,,,) = vault.configuration();
        (,, s.guardianThreshold, s.councilThreshold) = module.guardianCounts();
        (,, s.allowlistEnabled, s.allowlist) = vault.withdrawalPolicy();
        (s.assetLimit,,) = vault.outflow(asset);
        (s.timings,) = vault.timings();
        s.signers = vault.signers();
        s.guardians = module.guardians();
    }

    /// @notice keccak256 of the action's EIP-712 name: the vault hashes ConfigChanges with it.
    /// @param action The action.
    /// @return keccak256 of its name.
    function actionNameHash(ConfigAction action) external pure returns (bytes32) {
        return OperationHashing.actionNameHash(action);
    }

    /// @notice Checks `c` against configuration `s`; reverts with the broken rule.
    /// @param c The configuration change.
    /// @param s The configuration to check against.
    /// @return effect As for {checkChange}.
    function checkChangeAgainst(ConfigChange calldata c, RulesSnapshot memory s)
        public
        pure
        returns (ChangeEffect effect)
    {
        ConfigAction action = c.action;
        bool membership = action <= ConfigAction.ReplaceSigner
            || (action >= ConfigAction.AddGuardian && action <= ConfigAction.ReplaceGuardian);
        bool replace = action == ConfigAction.ReplaceSigner || action == ConfigAction.ReplaceGuardian;
        bool destination = action == ConfigAction.AllowDestination || action == ConfigAction.DisallowDestination;
        bool usesAccount = membership || action == ConfigAction.SetOutflowLimit || destination;
        if (
            (!usesAccount && c.account != address(0)) || (!replace && c.replacement != address(0))
                || ((replace || destination) && c.value != 0)
        ) revert UnusedFieldNotZero(action);
        if (action >= ConfigAction.SetOutflowLimit) return _checkPolicyChange(c, s);

        uint256 n = s.signers.length;
        uint256 m = s.threshold;
        uint256 g = s.guardians.length;
        uint256 k = s.guardianThreshold;
        uint256 council = s.councilThreshold;
        if (action == ConfigAction.AddSigner || action == ConfigAction.AddGuardian) {
            _checkNewMember(s, c.account);
            if (action == ConfigAction.AddSigner) (n, m) = (n + 1, c.value);
            else (g, k) = (g + 1, c.value);
        } else if (action == ConfigAction.RemoveSigner || action == ConfigAction.RemoveGuardian) {
            _checkMember(s, action == ConfigAction.RemoveSigner, c.account);
            if (action == ConfigAction.RemoveSigner) (n, m) = (n - 1, c.value);
            else (g, k) = (g - 1, c.value);
        } else if (replace) {
            _checkMember(s, action == ConfigAction.ReplaceSigner, c.account);
            _checkNewMember(s, c.replacement);
        } else if (action == ConfigAction.SetThreshold) {
            m = c.value;
        } else if (action == ConfigAction.SetGuardianThreshold) {
            k = c.value;
        } else if (action == ConfigAction.SetCouncilThreshold) {
            council = c.value;
        } else {
            return _checkDelayChange(action, c.value, s.timings);
        }
        if (membership) council = MembershipRules.adjustCouncil(n, m, g, k, council);
        MembershipRules.checkCounts(n, m, g, k, council);
        return ChangeEffect.Neutral;
    }

    /// @dev The delay-setting actions of {checkChangeAgainst}: shortening the withdrawal delay or the
    ///      long delay loosens the configuration; every delay is checked against the others.
    function _checkDelayChange(ConfigAction action, uint256 value, Timings memory timings)
        private
        pure
        returns (ChangeEffect)
    {
        bool shortens = (action == ConfigAction.SetWithdrawalDelay && value < timings.withdrawalDelay)
            || (action == ConfigAction.SetLongDelay && value < timings.longDelay);
        _checkTiming(action, value, DelayTable.replaced(timings, action, value));
        return shortens ? ChangeEffect.Loosening : ChangeEffect.Neutral;
    }

    /// @notice Checks every delay of a complete configuration (the vault's constructor).
    /// @param timings Every delay, in seconds.
    function checkTimings(Timings calldata timings) external pure {
        Timings memory t = timings;
        _checkTiming(ConfigAction.SetWithdrawalDelay, t.withdrawalDelay, t);
        _checkTiming(ConfigAction.SetConfigDelay, t.configDelay, t);
        _checkTiming(ConfigAction.SetExecutionWindow, t.executionWindow, t);
        _checkTiming(ConfigAction.SetLongDelay, t.longDelay, t);
        _checkTiming(ConfigAction.SetCoolOff, t.coolOff, t);
        _checkTiming(ConfigAction.SetRecoveryDelay, t.recoveryDelay, t);
        _checkTiming(ConfigAction.SetCouncilDelay, t.councilDelay, t);
        _checkTiming(ConfigAction.SetMaxFreeze, t.maxFreeze, t);
        _checkTiming(ConfigAction.SetFreezeCooldown, t.freezeCooldown, t);
        _checkTiming(ConfigAction.SetVetoQuietPeriod, t.vetoQuietPeriod, t);
    }

    /// @notice The bounds of the delay `action` sets, given all the other delays in `timings`.
    /// @param action A delay-setting action.
    /// @param timings Every delay, in seconds.
    /// @return The smallest and the largest valid value, in seconds.
    function timingBounds(ConfigAction action, Timings calldata timings) external pure returns (uint256, uint256) {
        return _timingBounds(action, timings);
    }

    // =========================================================================================
    // Internal
    // =========================================================================================

    function _checkPolicyChange(ConfigChange calldata c, RulesSnapshot memory s) private pure returns (ChangeEffect) {
        ConfigAction action = c.action;
        if (action == ConfigAction.SetOutflowLimit) {
            if (c.value > VaultBounds.UNLIMITED) revert OutflowLimitTooLarge(c.value, VaultBounds.UNLIMITED);
            if (c.value == s.assetLimit) return ChangeEffect.Neutral;
            return c.value < s.assetLimit ? ChangeEffect.Tightening : ChangeEffect.Loosening;
        }
        if (action == ConfigAction.SetAllowlistEnabled) {
            if (c.value > 1) revert AllowlistFlagInvalid(c.value);
            if ((c.value == 1) == s.allowlistEnabled) revert AllowlistUnchanged(s.allowlistEnabled);
            return c.value == 1 ? ChangeEffect.Tightening : ChangeEffect.Loosening;
        }
        bool allowed = _contains(s.allowlist, c.account);
        if (action == ConfigAction.AllowDestination) {
            if (c.account == address(0)) revert DestinationIsZeroAddress();
            if (allowed) revert DestinationAlreadyAllowed(c.account);
            if (s.allowlist.length >= VaultBounds.MAX_ALLOWLIST) revert AllowlistFull(VaultBounds.MAX_ALLOWLIST);
            return ChangeEffect.Loosening;
        }
        if (!allowed) revert DestinationNotAllowed(c.account);
        return ChangeEffect.Tightening; // DisallowDestination
    }

    /// @dev `account` may join either group: non-zero, neither a signer nor a guardian.
    function _checkNewMember(RulesSnapshot memory s, address account) private pure {
        if (account == address(0)) revert SignerIsZeroAddress();
        if (_contains(s.signers, account)) revert SignerAlreadyMember(account);
        if (_contains(s.guardians, account)) revert GuardianAlreadyMember(account);
    }

    function _checkMember(RulesSnapshot memory s, bool signer, address account) private pure {
        if (!_contains(signer ? s.signers : s.guardians, account)) {
            if (signer) revert SignerNotMember(account);
            revert GuardianNotMember(account);
        }
    }

    function _contains(address[] memory list, address account) private pure returns (bool) {
        for (uint256 i = 0; i < list.length; ++i) {
            if (list[i] == account) return true;
        }
        return false;
    }

    function _timingBounds(ConfigAction action, Timings memory t) private pure returns (uint256 min, uint256 max) {
        if (action == ConfigAction.SetWithdrawalDelay) return (VaultBounds.MIN_DELAY, _min(t.configDelay, t.longDelay));
        if (action == ConfigAction.SetConfigDelay) {
            return (t.withdrawalDelay, _min(t.recoveryDelay, t.councilDelay));
        }
        if (action == ConfigAction.SetExecutionWindow) {
            return (_max(VaultBounds.MIN_EXECUTION_WINDOW, t.maxFreeze + 1), VaultBounds.MAX_EXECUTION_WINDOW);
        }
        if (action == ConfigAction.SetLongDelay) return (t.withdrawalDelay, _min(VaultBounds.MAX_DELAY, t.vetoQuietPeriod));
        if (action == ConfigAction.SetCoolOff) return (VaultBounds.MIN_DELAY, VaultBounds.MAX_DELAY);
        if (action == ConfigAction.SetRecoveryDelay || action == ConfigAction.SetCouncilDelay) {
            return (t.configDelay, VaultBounds.MAX_DELAY);
        }
        if (action == ConfigAction.SetMaxFreeze) {
            // No execution window (only a made-up `timings` has none): no maxFreeze fits, so the
            // range is empty instead of underflowing.
            if (t.executionWindow == 0) return (VaultBounds.MIN_FREEZE, 0);
            return (VaultBounds.MIN_FREEZE, _min(t.freezeCooldown, t.executionWindow - 1));
        }
        if (action == ConfigAction.SetFreezeCooldown) return (t.maxFreeze, VaultBounds.MAX_DELAY);
        return (t.longDelay, VaultBounds.MAX_DELAY); // SetVetoQuietPeriod
    }

    function _checkTiming(ConfigAction action, uint256 value, Timings memory t) private pure {
        (uint256 min, uint256 max) = _timingBounds(action, t);
        if (value < min || value > max) revert DelayOutOfRange(action, value, min, max);
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }

    function _max(uint256 a, uint256 b) private pure returns (uint256) {
        return a > b ? a : b;
    }
}
