// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {
    ChangeEffect,
    ConfigAction,
    ConfigChange,
    IReserveVaultErrors,
    RulesSnapshot,
    Timings
} from "../../contracts/interfaces/IReserveVault.sol";
import {ConfigRules} from "../../contracts/rules/ConfigRules.sol";
import {VaultFuzzBase} from "../fuzz/VaultFuzzBase.sol";

/// @title Unit tests of ConfigRules, the pure rules of a configuration change (docs/SPEC.md §5).
/// @notice Every change is checked with `checkChangeAgainst` against a fixed, valid configuration
///         (3 signers M = 2, 3 guardians K = 2, council C = 4, one allowed destination, and the delays of
///         `_timings`), so each test names the rule it breaks and the exact error and arguments expected.
///         Delay bounds of that configuration: withdrawal [1 h, 2 h], config [1 h, 3 h], window
///         [1 h + 1 s, 30 d], long [1 h, 4 h], cool-off [1 h, 30 d], recovery and council [2 h, 30 d],
///         maxFreeze [1 min, 2 h], freezeCooldown [1 h, 30 d], vetoQuietPeriod [3 h, 30 d].
contract ConfigRulesTest is VaultFuzzBase {
    uint256 private constant MIN_FREEZE = 1 minutes;
    uint256 private constant UNLIMITED = type(uint96).max;
    uint256 private constant MAX_ALLOWLIST = 64;
    uint256 private constant ASSET_LIMIT = 100 ether;

    address private constant SIGNER_1 = address(0xA1);
    address private constant SIGNER_2 = address(0xA2);
    address private constant SIGNER_3 = address(0xA3);
    address private constant GUARDIAN_1 = address(0xB1);
    address private constant GUARDIAN_2 = address(0xB2);
    address private constant GUARDIAN_3 = address(0xB3);
    address private constant ALLOWED = address(0xD1);
    address private constant OUTSIDER = address(0xE1);
    address private constant ASSET = address(0xF1);

    ConfigRules private rules;

    function setUp() external {
        rules = new ConfigRules();
    }

    // -------------------------------------------------------------------------------------
    // Fixtures
    // -------------------------------------------------------------------------------------

    /// @dev A valid set of delays in which every bound is set by another delay, not a constant.
    function _timings() private pure returns (Timings memory) {
        return Timings({
            withdrawalDelay: 1 hours,
            configDelay: 2 hours,
            executionWindow: 1 days,
            longDelay: 3 hours,
            coolOff: 1 hours,
            recoveryDelay: 3 hours,
            councilDelay: 3 hours,
            maxFreeze: 1 hours,
            freezeCooldown: 2 hours,
            vetoQuietPeriod: 4 hours
        });
    }

    function _snapshot() private pure returns (RulesSnapshot memory s) {
        s.threshold = 2;
        s.guardianThreshold = 2;
        s.councilThreshold = 4;
        s.assetLimit = ASSET_LIMIT;
        s.timings = _timings();
        s.signers = _three(SIGNER_1, SIGNER_2, SIGNER_3);
        s.guardians = _three(GUARDIAN_1, GUARDIAN_2, GUARDIAN_3);
        s.allowlist = new address[](1);
        s.allowlist[0] = ALLOWED;
    }

    function _three(address a, address b, address c) private pure returns (address[] memory list) {
        list = new address[](3);
        (list[0], list[1], list[2]) = (a, b, c);
    }

    /// @dev `count` ascending addresses from `first`.
    function _members(uint256 first, uint256 count) private pure returns (address[] memory list) {
        list = new address[](count);
        for (uint256 i = 0; i < count; ++i) {
            list[i] = address(uint160(first + i));
        }
    }

    function _change(ConfigAction action, address account, address replacement, uint256 value)
        private
        pure
        returns (ConfigChange memory)
    {
        return ConfigChange({
            action: action, account: account, replacement: replacement, value: value, nonce: 0, epoch: 1
        });
    }

    function _value(ConfigAction action, uint256 value) private pure returns (ConfigChange memory) {
        return _change(action, address(0), address(0), value);
    }

    function _check(ConfigChange memory c) private view returns (ChangeEffect) {
        return rules.checkChangeAgainst(c, _snapshot());
    }

    function _assertEffect(ChangeEffect actual, ChangeEffect expected, string memory what) private pure {
        _assertEq(uint256(actual), uint256(expected), what);
    }

    function _expectRevert(bytes4 selector) private {
        vm.expectRevert(abi.encodeWithSelector(selector));
    }

    function _expectRevert(bytes4 selector, address account) private {
        vm.expectRevert(abi.encodeWithSelector(selector, account));
    }

    function _expectRevert(bytes4 selector, uint256 a, uint256 b) private {
        vm.expectRevert(abi.encodeWithSelector(selector, a, b));
    }

    function _expectCouncilRevert(uint256 council, uint256 min, uint256 max) private {
        vm.expectRevert(
            abi.encodeWithSelector(IReserveVaultErrors.CouncilThresholdOutOfRange.selector, council, min, max)
        );
    }

    function _expectDelayRevert(ConfigAction action, uint256 value, uint256 min, uint256 max) private {
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.DelayOutOfRange.selector, action, value, min, max));
    }

    // -------------------------------------------------------------------------------------
    // Fields an action does not use are zero
    // -------------------------------------------------------------------------------------

    /// @notice An action that uses no account (SetThreshold) rejects a non-zero account.
    function test_RevertWhen_UnusedAccountIsSet() external {
        ConfigAction action = ConfigAction.SetThreshold;
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.UnusedFieldNotZero.selector, action));
        rules.checkChangeAgainst(_change(action, OUTSIDER, address(0), 2), _snapshot());
    }

    /// @notice A delay change uses no account either.
    function test_RevertWhen_DelayChangeHasAnAccount() external {
        ConfigAction action = ConfigAction.SetCoolOff;
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.UnusedFieldNotZero.selector, action));
        rules.checkChangeAgainst(_change(action, OUTSIDER, address(0), 2 hours), _snapshot());
    }

    /// @notice Only the replace actions use `replacement`.
    function test_RevertWhen_UnusedReplacementIsSet() external {
        ConfigAction action = ConfigAction.AddSigner;
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.UnusedFieldNotZero.selector, action));
        rules.checkChangeAgainst(_change(action, OUTSIDER, SIGNER_1, 3), _snapshot());
    }

    /// @notice A replace action takes no value (the threshold stays).
    function test_RevertWhen_ReplaceHasAValue() external {
        ConfigAction action = ConfigAction.ReplaceGuardian;
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.UnusedFieldNotZero.selector, action));
        rules.checkChangeAgainst(_change(action, GUARDIAN_1, OUTSIDER, 1), _snapshot());
    }

    /// @notice A destination action takes no value.
    function test_RevertWhen_DestinationChangeHasAValue() external {
        ConfigAction action = ConfigAction.AllowDestination;
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.UnusedFieldNotZero.selector, action));
        rules.checkChangeAgainst(_change(action, OUTSIDER, address(0), 1), _snapshot());
    }

    /// @notice Turning the allowlist on or off uses no account.
    function test_RevertWhen_AllowlistFlagHasAnAccount() external {
        ConfigAction action = ConfigAction.SetAllowlistEnabled;
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.UnusedFieldNotZero.selector, action));
        rules.checkChangeAgainst(_change(action, OUTSIDER, address(0), 1), _snapshot());
    }

    // -------------------------------------------------------------------------------------
    // Signers
    // -------------------------------------------------------------------------------------

    /// @notice A new signer with a valid threshold is a neutral change.
    function test_AddSignerIsNeutral() external view {
        ChangeEffect effect = _check(_change(ConfigAction.AddSigner, OUTSIDER, address(0), 3));
        _assertEffect(effect, ChangeEffect.Neutral, "add signer");
    }

    /// @notice The zero address cannot become a signer.
    function test_RevertWhen_AddSignerZeroAddress() external {
        _expectRevert(IReserveVaultErrors.SignerIsZeroAddress.selector);
        _check(_change(ConfigAction.AddSigner, address(0), address(0), 2));
    }

    /// @notice A signer cannot be added twice.
    function test_RevertWhen_AddSignerAlreadySigner() external {
        _expectRevert(IReserveVaultErrors.SignerAlreadyMember.selector, SIGNER_2);
        _check(_change(ConfigAction.AddSigner, SIGNER_2, address(0), 2));
    }

    /// @notice A guardian cannot become a signer (the groups are disjoint).
    function test_RevertWhen_AddSignerIsGuardian() external {
        _expectRevert(IReserveVaultErrors.GuardianAlreadyMember.selector, GUARDIAN_3);
        _check(_change(ConfigAction.AddSigner, GUARDIAN_3, address(0), 2));
    }

    /// @notice N <= 32: a 33rd signer is rejected.
    function test_RevertWhen_AddSignerBeyondMaxSigners() external {
        RulesSnapshot memory s = _snapshot();
        s.signers = _members(0x1000, 32);
        s.guardians = _members(0x2000, 32);
        s.councilThreshold = 33;
        _expectRevert(IReserveVaultErrors.SignerCountOutOfRange.selector, 33, 32);
        rules.checkChangeAgainst(_change(ConfigAction.AddSigner, OUTSIDER, address(0), 2), s);
    }

    /// @notice M <= N after the change.
    function test_RevertWhen_AddSignerThresholdAboveCount() external {
        _expectRevert(IReserveVaultErrors.ThresholdOutOfRange.selector, 5, 4);
        _check(_change(ConfigAction.AddSigner, OUTSIDER, address(0), 5));
    }

    /// @notice A membership change after which no council threshold is valid is rejected, even though
    ///         the council threshold is moved to its nearest bound: N = 4, M = 4, G = 3 needs C >= 5
    ///         and C <= 3.
    function test_RevertWhen_AddSignerLeavesNoValidCouncil() external {
        _expectCouncilRevert(5, 5, 3);
        _check(_change(ConfigAction.AddSigner, OUTSIDER, address(0), 4));
    }

    /// @notice Removing a signer is neutral, and the council threshold follows: C = 4 is invalid
    ///         for 2 signers and 3 guardians (bounds [3, 3]), yet the removal passes because C is
    ///         lowered to 3 instead of rejecting the change.
    function test_RemoveSignerMovesCouncilIntoBounds() external {
        ChangeEffect effect = _check(_change(ConfigAction.RemoveSigner, SIGNER_1, address(0), 2));
        _assertEffect(effect, ChangeEffect.Neutral, "remove signer");
        RulesSnapshot memory s = _snapshot();
        s.signers = new address[](2);
        (s.signers[0], s.signers[1]) = (SIGNER_2, SIGNER_3);
        _expectCouncilRevert(4, 3, 3);
        rules.checkChangeAgainst(_value(ConfigAction.SetCouncilThreshold, 4), s);
    }

    /// @notice Only a signer can be removed as one.
    function test_RevertWhen_RemoveSignerNotSigner() external {
        _expectRevert(IReserveVaultErrors.SignerNotMember.selector, GUARDIAN_1);
        _check(_change(ConfigAction.RemoveSigner, GUARDIAN_1, address(0), 2));
    }

    /// @notice M <= N after a removal.
    function test_RevertWhen_RemoveSignerThresholdAboveCount() external {
        _expectRevert(IReserveVaultErrors.ThresholdOutOfRange.selector, 3, 2);
        _check(_change(ConfigAction.RemoveSigner, SIGNER_3, address(0), 3));
    }

    /// @notice N >= 1: the last signer cannot be removed.
    function test_RevertWhen_RemoveLastSigner() external {
        RulesSnapshot memory s = _snapshot();
        s.signers = _members(0x1000, 1);
        s.guardians = _members(0x2000, 2);
        (s.threshold, s.guardianThreshold, s.councilThreshold) = (1, 1, 2);
        _expectRevert(IReserveVaultErrors.SignerCountOutOfRange.selector, 0, 32);
        rules.checkChangeAgainst(_change(ConfigAction.RemoveSigner, address(0x1000), address(0), 1), s);
    }

    /// @notice Replacing a signer by an outsider is neutral.
    function test_ReplaceSignerIsNeutral() external view {
        ChangeEffect effect = _check(_change(ConfigAction.ReplaceSigner, SIGNER_2, OUTSIDER, 0));
        _assertEffect(effect, ChangeEffect.Neutral, "replace signer");
    }

    /// @notice Only a signer can be replaced as one.
    function test_RevertWhen_ReplaceSignerNotSigner() external {
        _expectRevert(IReserveVaultErrors.SignerNotMember.selector, OUTSIDER);
        _check(_change(ConfigAction.ReplaceSigner, OUTSIDER, address(0xE2), 0));
    }

    /// @notice The replacement cannot be the zero address.
    function test_RevertWhen_ReplaceSignerByZeroAddress() external {
        _expectRevert(IReserveVaultErrors.SignerIsZeroAddress.selector);
        _check(_change(ConfigAction.ReplaceSigner, SIGNER_1, address(0), 0));
    }

    /// @notice The replacement cannot already be a signer.
    function test_RevertWhen_ReplaceSignerBySigner() external {
        _expectRevert(IReserveVaultErrors.SignerAlreadyMember.selector, SIGNER_3);
        _check(_change(ConfigAction.ReplaceSigner, SIGNER_1, SIGNER_3, 0));
    }

    /// @notice The replacement cannot be a guardian.
    function test_RevertWhen_ReplaceSignerByGuardian() external {
        _expectRevert(IReserveVaultErrors.GuardianAlreadyMember.selector, GUARDIAN_1);
        _check(_change(ConfigAction.ReplaceSigner, SIGNER_1, GUARDIAN_1, 0));
    }

    /// @notice Any M in [1, N] that keeps C valid is neutral.
    function test_SetThresholdIsNeutral() external view {
        _assertEffect(_check(_value(ConfigAction.SetThreshold, 1)), ChangeEffect.Neutral, "M = 1");
    }

    /// @notice M >= 1.
    function test_RevertWhen_ThresholdZero() external {
        _expectRevert(IReserveVaultErrors.ThresholdOutOfRange.selector, 0, 3);
        _check(_value(ConfigAction.SetThreshold, 0));
    }

    /// @notice M <= N.
    function test_RevertWhen_ThresholdAboveSignerCount() external {
        _expectRevert(IReserveVaultErrors.ThresholdOutOfRange.selector, 4, 3);
        _check(_value(ConfigAction.SetThreshold, 4));
    }

    /// @notice A threshold change does not move C: M = 3 needs C >= 4 and C <= N + G - M = 3.
    function test_RevertWhen_ThresholdLeavesNoValidCouncil() external {
        _expectCouncilRevert(4, 4, 3);
        _check(_value(ConfigAction.SetThreshold, 3));
    }

    // -------------------------------------------------------------------------------------
    // Guardians
    // -------------------------------------------------------------------------------------

    /// @notice A new guardian with a valid threshold is neutral.
    function test_AddGuardianIsNeutral() external view {
        ChangeEffect effect = _check(_change(ConfigAction.AddGuardian, OUTSIDER, address(0), 3));
        _assertEffect(effect, ChangeEffect.Neutral, "add guardian");
    }

    /// @notice A signer cannot become a guardian.
    function test_RevertWhen_AddGuardianIsSigner() external {
        _expectRevert(IReserveVaultErrors.SignerAlreadyMember.selector, SIGNER_1);
        _check(_change(ConfigAction.AddGuardian, SIGNER_1, address(0), 2));
    }

    /// @notice A guardian cannot be added twice.
    function test_RevertWhen_AddGuardianAlreadyGuardian() external {
        _expectRevert(IReserveVaultErrors.GuardianAlreadyMember.selector, GUARDIAN_2);
        _check(_change(ConfigAction.AddGuardian, GUARDIAN_2, address(0), 2));
    }

    /// @notice The zero address cannot become a guardian (reported with the shared new-member error).
    function test_RevertWhen_AddGuardianZeroAddress() external {
        _expectRevert(IReserveVaultErrors.SignerIsZeroAddress.selector);
        _check(_change(ConfigAction.AddGuardian, address(0), address(0), 2));
    }

    /// @notice K >= 1.
    function test_RevertWhen_AddGuardianThresholdZero() external {
        _expectRevert(IReserveVaultErrors.GuardianThresholdOutOfRange.selector, 0, 4);
        _check(_change(ConfigAction.AddGuardian, OUTSIDER, address(0), 0));
    }

    /// @notice G <= 32: a 33rd guardian is rejected.
    function test_RevertWhen_AddGuardianBeyondMaxGuardians() external {
        RulesSnapshot memory s = _snapshot();
        s.signers = _members(0x1000, 32);
        s.guardians = _members(0x2000, 32);
        s.councilThreshold = 33;
        _expectRevert(IReserveVaultErrors.GuardianCountOutOfRange.selector, 33, 32);
        rules.checkChangeAgainst(_change(ConfigAction.AddGuardian, OUTSIDER, address(0), 2), s);
    }

    /// @notice Removing a guardian is neutral (C = 4 is lowered to the new maximum 3).
    function test_RemoveGuardianIsNeutral() external view {
        ChangeEffect effect = _check(_change(ConfigAction.RemoveGuardian, GUARDIAN_3, address(0), 2));
        _assertEffect(effect, ChangeEffect.Neutral, "remove guardian");
    }

    /// @notice Only a guardian can be removed as one.
    function test_RevertWhen_RemoveGuardianNotGuardian() external {
        _expectRevert(IReserveVaultErrors.GuardianNotMember.selector, SIGNER_1);
        _check(_change(ConfigAction.RemoveGuardian, SIGNER_1, address(0), 2));
    }

    /// @notice G >= 1: the last guardian cannot be removed.
    function test_RevertWhen_RemoveLastGuardian() external {
        RulesSnapshot memory s = _snapshot();
        s.signers = _members(0x1000, 2);
        s.guardians = _members(0x2000, 1);
        (s.threshold, s.guardianThreshold, s.councilThreshold) = (1, 1, 2);
        _expectRevert(IReserveVaultErrors.GuardianCountOutOfRange.selector, 0, 32);
        rules.checkChangeAgainst(_change(ConfigAction.RemoveGuardian, address(0x2000), address(0), 1), s);
    }

    /// @notice Replacing a guardian by an outsider is neutral.
    function test_ReplaceGuardianIsNeutral() external view {
        ChangeEffect effect = _check(_change(ConfigAction.ReplaceGuardian, GUARDIAN_1, OUTSIDER, 0));
        _assertEffect(effect, ChangeEffect.Neutral, "replace guardian");
    }

    /// @notice Only a guardian can be replaced as one.
    function test_RevertWhen_ReplaceGuardianNotGuardian() external {
        _expectRevert(IReserveVaultErrors.GuardianNotMember.selector, OUTSIDER);
        _check(_change(ConfigAction.ReplaceGuardian, OUTSIDER, address(0xE2), 0));
    }

    /// @notice A guardian cannot be replaced by a signer.
    function test_RevertWhen_ReplaceGuardianBySigner() external {
        _expectRevert(IReserveVaultErrors.SignerAlreadyMember.selector, SIGNER_2);
        _check(_change(ConfigAction.ReplaceGuardian, GUARDIAN_1, SIGNER_2, 0));
    }

    /// @notice K in [1, G] that keeps C valid is neutral.
    function test_SetGuardianThresholdIsNeutral() external view {
        _assertEffect(_check(_value(ConfigAction.SetGuardianThreshold, 1)), ChangeEffect.Neutral, "K = 1");
    }

    /// @notice K <= G.
    function test_RevertWhen_GuardianThresholdAboveGuardianCount() external {
        _expectRevert(IReserveVaultErrors.GuardianThresholdOutOfRange.selector, 4, 3);
        _check(_value(ConfigAction.SetGuardianThreshold, 4));
    }

    /// @notice The only valid C of this configuration (2C > 6, C > 2, C <= 4) is 4.
    function test_SetCouncilThresholdIsNeutral() external view {
        _assertEffect(_check(_value(ConfigAction.SetCouncilThreshold, 4)), ChangeEffect.Neutral, "C = 4");
    }

    /// @notice 2C > N + G: C = 3 of 6 keys is not a majority.
    function test_RevertWhen_CouncilThresholdNotAMajority() external {
        _expectCouncilRevert(3, 4, 4);
        _check(_value(ConfigAction.SetCouncilThreshold, 3));
    }

    /// @notice C <= N + G - max(M, K): the keys outside a quorum must still reach the council.
    function test_RevertWhen_CouncilThresholdAboveMax() external {
        _expectCouncilRevert(5, 4, 4);
        _check(_value(ConfigAction.SetCouncilThreshold, 5));
    }

    // -------------------------------------------------------------------------------------
    // Delays: each within the bounds the other delays set
    // -------------------------------------------------------------------------------------

    /// @dev `action`'s bounds in `_timings` are [min, max]: timingBounds says so, both ends are
    ///      accepted (shortening the withdrawal or long delay loosens, anything else is neutral),
    ///      and one second outside either end reverts with DelayOutOfRange(action, value, min, max).
    function _checkDelayBounds(ConfigAction action, uint256 min, uint256 max) private {
        (uint256 lo, uint256 hi) = rules.timingBounds(action, _timings());
        _assertEq(lo, min, "timingBounds min");
        _assertEq(hi, max, "timingBounds max");
        bool loosens = action == ConfigAction.SetWithdrawalDelay || action == ConfigAction.SetLongDelay;
        uint256 current = _currentDelay(action);
        ChangeEffect atMin = loosens && min < current ? ChangeEffect.Loosening : ChangeEffect.Neutral;
        _assertEffect(_check(_value(action, min)), atMin, "effect at min");
        _assertEffect(_check(_value(action, max)), ChangeEffect.Neutral, "effect at max");
        _expectDelayRevert(action, min - 1, min, max);
        _check(_value(action, min - 1));
        _expectDelayRevert(action, max + 1, min, max);
        _check(_value(action, max + 1));
    }

    /// @dev `_timings`' value of the delay `action` sets, spelled out (not through DelayTable).
    function _currentDelay(ConfigAction action) private pure returns (uint256) {
        Timings memory t = _timings();
        if (action == ConfigAction.SetWithdrawalDelay) return t.withdrawalDelay;
        if (action == ConfigAction.SetLongDelay) return t.longDelay;
        return 0;
    }

    /// @notice Without an execution window no maxFreeze fits (w − 1 s would underflow): timingBounds
    ///         returns an empty range, [1 min, 0], instead of panicking (tools call it with made-up delays).
    function test_MaxFreezeBoundsAreEmptyWithoutExecutionWindow() external view {
        Timings memory t = _timings();
        t.executionWindow = 0;
        (uint256 lo, uint256 hi) = rules.timingBounds(ConfigAction.SetMaxFreeze, t);
        _assertEq(lo, MIN_FREEZE, "timingBounds min");
        _assertEq(hi, 0, "timingBounds max: the range is empty");
    }

    /// @notice 1 h <= withdrawal delay <= min(config delay, long delay).
    function test_RevertWhen_WithdrawalDelayOutOfBounds() external {
        _checkDelayBounds(ConfigAction.SetWithdrawalDelay, MIN_DELAY, 2 hours);
    }

    /// @notice withdrawal delay <= config delay <= min(recovery delay, council delay).
    function test_RevertWhen_ConfigDelayOutOfBounds() external {
        _checkDelayBounds(ConfigAction.SetConfigDelay, 1 hours, 3 hours);
    }

    /// @notice max(1 h, maxFreeze + 1 s) <= execution window <= 30 days.
    function test_RevertWhen_ExecutionWindowOutOfBounds() external {
        _checkDelayBounds(ConfigAction.SetExecutionWindow, 1 hours + 1, MAX_EXECUTION_WINDOW);
    }

    /// @notice withdrawal delay <= long delay <= min(30 days, vetoQuietPeriod).
    function test_RevertWhen_LongDelayOutOfBounds() external {
        _checkDelayBounds(ConfigAction.SetLongDelay, 1 hours, 4 hours);
    }

    /// @notice 1 h <= cool-off <= 30 days.
    function test_RevertWhen_CoolOffOutOfBounds() external {
        _checkDelayBounds(ConfigAction.SetCoolOff, MIN_DELAY, MAX_DELAY);
    }

    /// @notice config delay <= recovery delay <= 30 days.
    function test_RevertWhen_RecoveryDelayOutOfBounds() external {
        _checkDelayBounds(ConfigAction.SetRecoveryDelay, 2 hours, MAX_DELAY);
    }

    /// @notice config delay <= council delay <= 30 days.
    function test_RevertWhen_CouncilDelayOutOfBounds() external {
        _checkDelayBounds(ConfigAction.SetCouncilDelay, 2 hours, MAX_DELAY);
    }

    /// @notice 1 min <= maxFreeze <= min(freezeCooldown, execution window - 1 s).
    function test_RevertWhen_MaxFreezeOutOfBounds() external {
        _checkDelayBounds(ConfigAction.SetMaxFreeze, MIN_FREEZE, 2 hours);
    }

    /// @notice maxFreeze <= freezeCooldown <= 30 days.
    function test_RevertWhen_FreezeCooldownOutOfBounds() external {
        _checkDelayBounds(ConfigAction.SetFreezeCooldown, 1 hours, MAX_DELAY);
    }

    /// @notice long delay <= vetoQuietPeriod <= 30 days.
    function test_RevertWhen_VetoQuietPeriodOutOfBounds() external {
        _checkDelayBounds(ConfigAction.SetVetoQuietPeriod, 3 hours, MAX_DELAY);
    }

    /// @notice Shortening the withdrawal delay loosens; lengthening it is neutral.
    function test_ShorteningWithdrawalDelayLoosens() external view {
        RulesSnapshot memory s = _snapshot();
        s.timings.withdrawalDelay = 90 minutes;
        ConfigAction action = ConfigAction.SetWithdrawalDelay;
        _assertEffect(rules.checkChangeAgainst(_value(action, 1 hours), s), ChangeEffect.Loosening, "shorter");
        _assertEffect(rules.checkChangeAgainst(_value(action, 90 minutes), s), ChangeEffect.Neutral, "same");
        _assertEffect(rules.checkChangeAgainst(_value(action, 2 hours), s), ChangeEffect.Neutral, "longer");
    }

    /// @notice Shortening the long delay loosens; shortening any other delay is neutral.
    function test_ShorteningLongDelayLoosensOtherDelaysDoNot() external view {
        _assertEffect(_check(_value(ConfigAction.SetLongDelay, 2 hours)), ChangeEffect.Loosening, "long delay");
        _assertEffect(_check(_value(ConfigAction.SetConfigDelay, 1 hours)), ChangeEffect.Neutral, "config delay");
        _assertEffect(_check(_value(ConfigAction.SetVetoQuietPeriod, 3 hours)), ChangeEffect.Neutral, "veto period");
    }

    /// @notice The execution window's lower bound follows maxFreeze (a freeze alone never makes a
    ///         ready operation expire), and maxFreeze's upper bound follows the window.
    function test_RevertWhen_WindowNotLongerThanMaxFreeze() external {
        Timings memory t = _timings();
        t.maxFreeze = 2 hours;
        (uint256 min,) = rules.timingBounds(ConfigAction.SetExecutionWindow, t);
        _assertEq(min, 2 hours + 1, "window min");
        t.executionWindow = 90 minutes;
        t.maxFreeze = 1 hours;
        (, uint256 max) = rules.timingBounds(ConfigAction.SetMaxFreeze, t);
        _assertEq(max, 90 minutes - 1, "maxFreeze max");
        RulesSnapshot memory s = _snapshot();
        s.timings = t;
        _expectDelayRevert(ConfigAction.SetMaxFreeze, 90 minutes, MIN_FREEZE, 90 minutes - 1);
        rules.checkChangeAgainst(_value(ConfigAction.SetMaxFreeze, 90 minutes), s);
    }

    /// @notice The long delay's upper bound is 30 days even when vetoQuietPeriod is longer.
    function test_LongDelayCappedAtMaxDelay() external view {
        Timings memory t = _timings();
        t.vetoQuietPeriod = MAX_DELAY;
        (, uint256 max) = rules.timingBounds(ConfigAction.SetLongDelay, t);
        _assertEq(max, MAX_DELAY, "long delay max");
    }

    // -------------------------------------------------------------------------------------
    // checkTimings: a complete set of delays (the constructor)
    // -------------------------------------------------------------------------------------

    /// @notice A valid set passes, and every delay is at least its own lower bound.
    function test_CheckTimingsAcceptsValidDelays() external view {
        Timings memory t = _timings();
        rules.checkTimings(t);
        (uint256 min, uint256 max) = rules.timingBounds(ConfigAction.SetRecoveryDelay, t);
        _assertTrue(t.recoveryDelay >= min && t.recoveryDelay <= max, "recovery delay within its bounds");
    }

    /// @notice The withdrawal delay is checked first: above the config delay it is rejected.
    function test_RevertWhen_TimingsWithdrawalAboveConfigDelay() external {
        Timings memory t = _timings();
        t.withdrawalDelay = 3 hours;
        _expectDelayRevert(ConfigAction.SetWithdrawalDelay, 3 hours, MIN_DELAY, 2 hours);
        rules.checkTimings(t);
    }

    /// @notice A cool-off below 1 h is rejected.
    function test_RevertWhen_TimingsCoolOffZero() external {
        Timings memory t = _timings();
        t.coolOff = 0;
        _expectDelayRevert(ConfigAction.SetCoolOff, 0, MIN_DELAY, MAX_DELAY);
        rules.checkTimings(t);
    }

    /// @notice vetoQuietPeriod, checked last, is capped at 30 days.
    function test_RevertWhen_TimingsVetoQuietPeriodAboveMax() external {
        Timings memory t = _timings();
        t.vetoQuietPeriod = MAX_DELAY + 1;
        _expectDelayRevert(ConfigAction.SetVetoQuietPeriod, MAX_DELAY + 1, 3 hours, MAX_DELAY);
        rules.checkTimings(t);
    }

    /// @notice freezeCooldown is capped at 30 days.
    function test_RevertWhen_TimingsFreezeCooldownAboveMax() external {
        Timings memory t = _timings();
        t.freezeCooldown = MAX_DELAY + 1;
        _expectDelayRevert(ConfigAction.SetFreezeCooldown, MAX_DELAY + 1, 1 hours, MAX_DELAY);
        rules.checkTimings(t);
    }

    // -------------------------------------------------------------------------------------
    // Withdrawal policy
    // -------------------------------------------------------------------------------------

    function _limit(uint256 value) private view returns (ChangeEffect) {
        return _check(_change(ConfigAction.SetOutflowLimit, ASSET, address(0), value));
    }

    /// @notice Lowering a limit tightens, raising it loosens, keeping it is neutral; UNLIMITED is valid.
    function test_OutflowLimitEffects() external view {
        _assertEffect(_limit(ASSET_LIMIT - 1), ChangeEffect.Tightening, "lower");
        _assertEffect(_limit(ASSET_LIMIT), ChangeEffect.Neutral, "same");
        _assertEffect(_limit(ASSET_LIMIT + 1), ChangeEffect.Loosening, "higher");
        _assertEffect(_limit(UNLIMITED), ChangeEffect.Loosening, "unlimited");
        _assertEffect(_limit(0), ChangeEffect.Tightening, "zero");
    }

    /// @notice limit <= UNLIMITED (2^96 - 1).
    function test_RevertWhen_OutflowLimitAboveUnlimited() external {
        _expectRevert(IReserveVaultErrors.OutflowLimitTooLarge.selector, UNLIMITED + 1, UNLIMITED);
        _limit(UNLIMITED + 1);
    }

    /// @notice Turning the allowlist on tightens; turning it off loosens.
    function test_AllowlistFlagEffects() external view {
        ConfigAction action = ConfigAction.SetAllowlistEnabled;
        _assertEffect(_check(_value(action, 1)), ChangeEffect.Tightening, "turn on");
        RulesSnapshot memory s = _snapshot();
        s.allowlistEnabled = true;
        _assertEffect(rules.checkChangeAgainst(_value(action, 0), s), ChangeEffect.Loosening, "turn off");
    }

    /// @notice The flag is 0 or 1.
    function test_RevertWhen_AllowlistFlagNotABool() external {
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.AllowlistFlagInvalid.selector, 2));
        _check(_value(ConfigAction.SetAllowlistEnabled, 2));
    }

    /// @notice Turning off an allowlist that is off is rejected.
    function test_RevertWhen_AllowlistAlreadyOff() external {
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.AllowlistUnchanged.selector, false));
        _check(_value(ConfigAction.SetAllowlistEnabled, 0));
    }

    /// @notice Turning on an allowlist that is on is rejected.
    function test_RevertWhen_AllowlistAlreadyOn() external {
        RulesSnapshot memory s = _snapshot();
        s.allowlistEnabled = true;
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.AllowlistUnchanged.selector, true));
        rules.checkChangeAgainst(_value(ConfigAction.SetAllowlistEnabled, 1), s);
    }

    /// @notice Allowing a new destination loosens; disallowing an allowed one tightens.
    function test_DestinationEffects() external view {
        ChangeEffect allow = _check(_change(ConfigAction.AllowDestination, OUTSIDER, address(0), 0));
        _assertEffect(allow, ChangeEffect.Loosening, "allow");
        ChangeEffect disallow = _check(_change(ConfigAction.DisallowDestination, ALLOWED, address(0), 0));
        _assertEffect(disallow, ChangeEffect.Tightening, "disallow");
    }

    /// @notice The zero address cannot be allowed.
    function test_RevertWhen_AllowZeroDestination() external {
        _expectRevert(IReserveVaultErrors.DestinationIsZeroAddress.selector);
        _check(_change(ConfigAction.AllowDestination, address(0), address(0), 0));
    }

    /// @notice Allowlist entries are distinct.
    function test_RevertWhen_DestinationAlreadyAllowed() external {
        _expectRevert(IReserveVaultErrors.DestinationAlreadyAllowed.selector, ALLOWED);
        _check(_change(ConfigAction.AllowDestination, ALLOWED, address(0), 0));
    }

    /// @notice At most 64 entries.
    function test_RevertWhen_AllowlistFull() external {
        RulesSnapshot memory s = _snapshot();
        s.allowlist = _members(0x3000, MAX_ALLOWLIST);
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.AllowlistFull.selector, MAX_ALLOWLIST));
        rules.checkChangeAgainst(_change(ConfigAction.AllowDestination, OUTSIDER, address(0), 0), s);
    }

    /// @notice Only an allowed destination can be disallowed.
    function test_RevertWhen_DisallowUnknownDestination() external {
        _expectRevert(IReserveVaultErrors.DestinationNotAllowed.selector, OUTSIDER);
        _check(_change(ConfigAction.DisallowDestination, OUTSIDER, address(0), 0));
    }

    /// @notice The rules' public bounds are those of docs/SPEC.md §5.
    function test_BoundsMatchTheSpec() external view {
        _assertEq(rules.MAX_SIGNERS(), 32, "MAX_SIGNERS");
        _assertEq(rules.MAX_GUARDIANS(), 32, "MAX_GUARDIANS");
        _assertEq(rules.MIN_FREEZE(), MIN_FREEZE, "MIN_FREEZE");
        _assertEq(rules.MAX_ALLOWLIST(), MAX_ALLOWLIST, "MAX_ALLOWLIST");
        _assertEq(rules.UNLIMITED(), UNLIMITED, "UNLIMITED");
        _assertEq(rules.MIN_OUTFLOW_PERIOD(), 1 hours, "MIN_OUTFLOW_PERIOD");
        _assertEq(rules.MAX_OUTFLOW_PERIOD(), 30 days, "MAX_OUTFLOW_PERIOD");
    }
}
