// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {MemberSet} from "../../contracts/libraries/MemberSet.sol";
import {MembershipRules} from "../../contracts/libraries/MembershipRules.sol";

/// @title Test-only harness: MembershipRules' internal functions as external calls.
/// @notice Sets are taken and returned unpacked; `checkNewSet` and `union` pack their packed
///         arguments with MemberSet.pack, as the vault and the guardian module do.
/// @dev Not a test file (no `.t.sol`): compiled through test/rules/MembershipRules.t.sol's import.
contract MembershipRulesHarness {
    function checkCounts(uint256 n, uint256 m, uint256 g, uint256 k, uint256 council) external pure {
        MembershipRules.checkCounts(n, m, g, k, council);
    }

    function councilBounds(uint256 n, uint256 m, uint256 g, uint256 k) external pure returns (uint256, uint256) {
        return MembershipRules.councilBounds(n, m, g, k);
    }

    function adjustCouncil(uint256 n, uint256 m, uint256 g, uint256 k, uint256 council)
        external
        pure
        returns (uint256)
    {
        return MembershipRules.adjustCouncil(n, m, g, k, council);
    }

    function checkNewSet(address[] memory members, address[] memory other, bool signers) external pure {
        MembershipRules.checkNewSet(members, MemberSet.pack(other), signers);
    }

    function insert(address[] memory members, address account) external pure returns (address[] memory) {
        return MembershipRules.insert(members, account);
    }

    function remove(address[] memory members, address account) external pure returns (address[] memory) {
        return MembershipRules.remove(members, account);
    }

    function union(address[] memory a, address[] memory b) external pure returns (address[] memory) {
        return MemberSet.unpack(MembershipRules.union(MemberSet.pack(a), MemberSet.pack(b)));
    }
}
