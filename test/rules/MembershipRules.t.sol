// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IReserveVaultErrors} from "../../contracts/interfaces/IReserveVault.sol";
import {VaultFuzzBase} from "../fuzz/VaultFuzzBase.sol";
import {MembershipRulesHarness} from "./MembershipRulesHarness.sol";

/// @title Unit tests of MembershipRules: counts, thresholds, council bounds and sorted-set helpers.
/// @notice docs/SPEC.md §5: 1 <= M <= N <= 32, 1 <= K <= G <= 32, 2C > N + G, C > max(M, K),
///         C <= N + G - max(M, K); sets strictly ascending, non-zero, signers and guardians disjoint.
///         The internal functions are reached through MembershipRulesHarness.
contract MembershipRulesTest is VaultFuzzBase {
    MembershipRulesHarness private rules;

    function setUp() external {
        rules = new MembershipRulesHarness();
    }

    function _list(address a, address b) private pure returns (address[] memory list) {
        list = new address[](2);
        (list[0], list[1]) = (a, b);
    }

    function _list(address a, address b, address c) private pure returns (address[] memory list) {
        list = new address[](3);
        (list[0], list[1], list[2]) = (a, b, c);
    }

    function _assertList(address[] memory actual, address[] memory expected, string memory what) private pure {
        _assertEq(actual.length, expected.length, string.concat(what, ": length"));
        for (uint256 i = 0; i < actual.length; ++i) {
            _assertEq(actual[i], expected[i], string.concat(what, ": member ", vm.toString(i)));
        }
    }

    // -------------------------------------------------------------------------------------
    // checkCounts and the council bounds
    // -------------------------------------------------------------------------------------

    /// @notice The smallest and largest configurations are valid: one signer with two guardians
    ///         (C = 2 of 3 keys) and 32 signers with 32 guardians (C = 33 of 64 keys).
    function test_CheckCountsAcceptsTheExtremes() external view {
        rules.checkCounts(1, 1, 2, 1, 2);
        rules.checkCounts(32, 1, 32, 1, 33);
        (uint256 min, uint256 max) = rules.councilBounds(32, 1, 32, 1);
        _assertEq(min, 33, "min C of 32 + 32 keys");
        _assertEq(max, 63, "max C of 32 + 32 keys");
    }

    /// @notice N >= 1.
    function test_RevertWhen_NoSigners() external {
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.SignerCountOutOfRange.selector, 0, 32));
        rules.checkCounts(0, 1, 3, 2, 3);
    }

    /// @notice N <= 32.
    function test_RevertWhen_TooManySigners() external {
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.SignerCountOutOfRange.selector, 33, 32));
        rules.checkCounts(33, 1, 3, 2, 19);
    }

    /// @notice M >= 1.
    function test_RevertWhen_ThresholdZero() external {
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ThresholdOutOfRange.selector, 0, 3));
        rules.checkCounts(3, 0, 3, 2, 4);
    }

    /// @notice M <= N.
    function test_RevertWhen_ThresholdAboveSignerCount() external {
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.ThresholdOutOfRange.selector, 4, 3));
        rules.checkCounts(3, 4, 3, 2, 4);
    }

    /// @notice G >= 1.
    function test_RevertWhen_NoGuardians() external {
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.GuardianCountOutOfRange.selector, 0, 32));
        rules.checkCounts(3, 2, 0, 0, 3);
    }

    /// @notice G <= 32.
    function test_RevertWhen_TooManyGuardians() external {
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.GuardianCountOutOfRange.selector, 33, 32));
        rules.checkCounts(3, 2, 33, 2, 19);
    }

    /// @notice K >= 1.
    function test_RevertWhen_GuardianThresholdZero() external {
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.GuardianThresholdOutOfRange.selector, 0, 3));
        rules.checkCounts(3, 2, 3, 0, 4);
    }

    /// @notice K <= G.
    function test_RevertWhen_GuardianThresholdAboveGuardianCount() external {
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.GuardianThresholdOutOfRange.selector, 4, 3));
        rules.checkCounts(3, 2, 3, 4, 4);
    }

    /// @notice 2C > N + G: with 3 + 3 keys, C = 3 is not a majority (bounds [4, 4]).
    function test_RevertWhen_CouncilNotAMajority() external {
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.CouncilThresholdOutOfRange.selector, 3, 4, 4));
        rules.checkCounts(3, 2, 3, 2, 3);
    }

    /// @notice C > max(M, K) and C <= N + G - max(M, K): with 5 + 3 keys and M = 4, C must be at
    ///         least 5 and at most 4, so no council threshold is valid.
    function test_RevertWhen_CouncilNotAboveTheLargerQuorum() external {
        (uint256 min, uint256 max) = rules.councilBounds(5, 4, 3, 2);
        _assertEq(min, 5, "min C");
        _assertEq(max, 4, "max C");
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.CouncilThresholdOutOfRange.selector, 5, 5, 4));
        rules.checkCounts(5, 4, 3, 2, 5);
    }

    /// @notice C <= N + G - max(M, K): with 5 + 3 keys and M = 2, C = 7 is out of reach of the keys
    ///         outside a compromised quorum (bounds [5, 6]).
    function test_RevertWhen_CouncilAboveTheHonestKeys() external {
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.CouncilThresholdOutOfRange.selector, 7, 5, 6));
        rules.checkCounts(5, 2, 3, 2, 7);
    }

    /// @notice One signer and one guardian admit no council threshold: 2C > 2 needs C >= 2, and the
    ///         keys outside a quorum (1) cannot reach it.
    function test_RevertWhen_OneSignerOneGuardian() external {
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.CouncilThresholdOutOfRange.selector, 2, 2, 1));
        rules.checkCounts(1, 1, 1, 1, 2);
    }

    /// @notice The maximum is 0, not an underflow, when a quorum exceeds all keys (impossible in a
    ///         valid set, but councilBounds is total).
    function test_CouncilBoundsMaxIsZeroWhenQuorumExceedsKeys() external view {
        (uint256 min, uint256 max) = rules.councilBounds(1, 5, 1, 1);
        _assertEq(min, 6, "min C");
        _assertEq(max, 0, "max C");
    }

    /// @notice adjustCouncil raises C to the minimum, lowers it to the maximum, and keeps a valid C.
    function test_AdjustCouncilMovesIntoBounds() external view {
        _assertEq(rules.adjustCouncil(5, 2, 3, 2, 3), 5, "raised to the majority");
        _assertEq(rules.adjustCouncil(5, 2, 3, 2, 8), 6, "lowered to N + G - max(M, K)");
        _assertEq(rules.adjustCouncil(5, 2, 3, 2, 6), 6, "kept");
        _assertEq(rules.adjustCouncil(5, 2, 3, 2, 5), 5, "kept at the minimum");
    }

    // -------------------------------------------------------------------------------------
    // checkNewSet
    // -------------------------------------------------------------------------------------

    /// @notice A strictly ascending, non-zero set disjoint from the other group passes.
    function test_CheckNewSetAcceptsASortedDisjointSet() external view {
        address[] memory set = _list(address(0x11), address(0x12), address(0x13));
        rules.checkNewSet(set, _list(address(0x10), address(0x14)), true);
        rules.checkNewSet(set, new address[](0), false);
        // The other group may interleave with the set: only membership matters.
        _assertTrue(set[0] > address(0x10) && set[2] < address(0x14), "interleaved groups");
    }

    /// @notice A signer set cannot contain the zero address.
    function test_RevertWhen_NewSignerSetHasZeroAddress() external {
        vm.expectRevert(IReserveVaultErrors.SignerIsZeroAddress.selector);
        rules.checkNewSet(_list(address(0), address(0x12)), new address[](0), true);
    }

    /// @notice A guardian set cannot contain the zero address.
    function test_RevertWhen_NewGuardianSetHasZeroAddress() external {
        vm.expectRevert(IReserveVaultErrors.GuardianIsZeroAddress.selector);
        rules.checkNewSet(_list(address(0x11), address(0)), new address[](0), false);
    }

    /// @notice A set must be strictly ascending: a duplicate is reported at its index.
    function test_RevertWhen_NewSetHasDuplicate() external {
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.MembersNotAscending.selector, 2));
        rules.checkNewSet(_list(address(0x11), address(0x12), address(0x12)), new address[](0), true);
    }

    /// @notice A set must be strictly ascending: a descending pair is reported at its index.
    function test_RevertWhen_NewSetDescending() external {
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.MembersNotAscending.selector, 1));
        rules.checkNewSet(_list(address(0x12), address(0x11)), new address[](0), false);
    }

    /// @notice A new signer set cannot contain a guardian.
    function test_RevertWhen_NewSignerIsGuardian() external {
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.GuardianAlreadyMember.selector, address(0x12)));
        rules.checkNewSet(_list(address(0x11), address(0x12)), _list(address(0x12), address(0x20)), true);
    }

    /// @notice A new guardian set cannot contain a signer.
    function test_RevertWhen_NewGuardianIsSigner() external {
        vm.expectRevert(abi.encodeWithSelector(IReserveVaultErrors.GuardianIsSigner.selector, address(0x11)));
        rules.checkNewSet(_list(address(0x11), address(0x12)), _list(address(0x05), address(0x11)), false);
    }

    // -------------------------------------------------------------------------------------
    // insert, remove, union
    // -------------------------------------------------------------------------------------

    /// @notice insert keeps the set sorted: at the front, in the middle, at the end, into an empty set.
    function test_InsertKeepsOrder() external view {
        address[] memory set = _list(address(0x20), address(0x40));
        _assertList(rules.insert(set, address(0x10)), _list(address(0x10), address(0x20), address(0x40)), "front");
        _assertList(rules.insert(set, address(0x30)), _list(address(0x20), address(0x30), address(0x40)), "middle");
        _assertList(rules.insert(set, address(0x50)), _list(address(0x20), address(0x40), address(0x50)), "end");
        address[] memory one = rules.insert(new address[](0), address(0x10));
        _assertEq(one.length, 1, "empty: length");
        _assertEq(one[0], address(0x10), "empty: member");
    }

    /// @notice remove drops exactly the member and keeps the order: front, middle, end.
    function test_RemoveKeepsOrder() external view {
        address[] memory set = _list(address(0x10), address(0x20), address(0x30));
        _assertList(rules.remove(set, address(0x10)), _list(address(0x20), address(0x30)), "front");
        _assertList(rules.remove(set, address(0x20)), _list(address(0x10), address(0x30)), "middle");
        _assertList(rules.remove(set, address(0x30)), _list(address(0x10), address(0x20)), "end");
    }

    /// @notice union merges two disjoint sorted sets into one sorted set.
    function test_UnionMergesSorted() external view {
        address[] memory merged = rules.union(_list(address(0x10), address(0x30)), _list(address(0x20), address(0x40)));
        address[] memory expected = new address[](4);
        for (uint256 i = 0; i < 4; ++i) {
            expected[i] = address(uint160(0x10 * (i + 1)));
        }
        _assertList(merged, expected, "interleaved");
        _assertList(
            rules.union(new address[](0), _list(address(0x1), address(0x2))),
            _list(address(0x1), address(0x2)),
            "a empty"
        );
        _assertList(
            rules.union(_list(address(0x1), address(0x2)), new address[](0)),
            _list(address(0x1), address(0x2)),
            "b empty"
        );
    }
}
