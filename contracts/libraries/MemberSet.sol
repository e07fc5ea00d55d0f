// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {SSTORE2} from "solady/src/utils/SSTORE2.sol";

/// @title A bounded, sorted set of addresses kept in contract code (SSTORE2), one version per salt.
/// @notice Reading the whole set costs one cold account access (~2,600 gas) whatever its size, so
///         checking M signatures needs no storage read per signer. A set is immutable once written:
///         a membership change writes a new version under a new salt (the vault uses its epoch).
/// @dev The pointer is derived from the salt alone (CREATE3 via Solady's audited SSTORE2), so the
///      vault stores no pointer. Writing the same salt twice reverts (`DeploymentFailed`).
library MemberSet {
    /// @notice Stores `sortedMembers` (strictly ascending, checked by the caller) under `salt`.
    function write(bytes32 salt, address[] memory sortedMembers) internal {
        SSTORE2.writeDeterministic(abi.encode(sortedMembers), salt);
    }

    /// @notice Reads the set stored under `salt`.
    function read(bytes32 salt) internal view returns (address[] memory) {
        return abi.decode(SSTORE2.read(SSTORE2.predictDeterministicAddress(salt)), (address[]));
    }

    /// @notice Position of `account` in the sorted `members`, searching from `from`; `found` false if absent.
    /// @dev Linear: members are bounded (the vault's MAX_SIGNERS) and sorted, so a caller walking
    ///      ascending accounts resumes where the last search stopped (one pass for all signatures).
    function indexOf(address[] memory members, address account, uint256 from)
        internal
        pure
        returns (uint256 index, bool found)
    {
        index = from;
        while (index < members.length && members[index] < account) {
            ++index;
        }
        found = index < members.length && members[index] == account;
    }
}
