// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {SSTORE2} from "solady/src/utils/SSTORE2.sol";

/// @title A bounded, sorted set of addresses kept in contract code (SSTORE2), one version per salt.
/// @notice Reading the whole set costs one cold account access (~2,600 gas) whatever its size, so
///         checking M signatures needs no storage read per signer. A set is immutable once written:
///         a membership change writes a new version under a new salt (the vault uses its epoch).
/// @dev Members are stored packed, 20 bytes each, strictly ascending (checked by the caller). The
///      pointer is derived from the salt alone (CREATE3 via Solady's audited SSTORE2), so the vault
///      stores no pointer. Writing the same salt twice reverts (`DeploymentFailed`).
library MemberSet {
    uint256 private constant ADDRESS_BYTES = 20;

    /// @notice Stores `sortedMembers` under `salt`.
    /// @param salt The version's salt (never used before).
    /// @param sortedMembers The members, strictly ascending (checked by the caller).
    function write(bytes32 salt, address[] memory sortedMembers) internal {
        SSTORE2.writeDeterministic(pack(sortedMembers), salt);
    }

    /// @notice Stores an already packed list (or the concatenation of several) under `salt`.
    /// @param salt The version's salt (never used before).
    /// @param packed The packed list(s).
    function writePacked(bytes32 salt, bytes memory packed) internal {
        SSTORE2.writeDeterministic(packed, salt);
    }

    /// @notice The packed form of `members` (20 bytes each, in the given order).
    /// @param members The addresses.
    /// @return packed Their packed form.
    function pack(address[] memory members) internal pure returns (bytes memory packed) {
        for (uint256 i = 0; i < members.length; ++i) {
            packed = bytes.concat(packed, bytes20(members[i]));
        }
    }

    /// @notice The packed set stored under `salt`: use with {length}, {at} and {indexOf}.
    /// @param salt The version's salt.
    /// @return packed The packed set.
    function load(bytes32 salt) internal view returns (bytes memory packed) {
        return SSTORE2.read(SSTORE2.predictDeterministicAddress(salt));
    }

    /// @notice The packed set that contract `writer` stored under `salt` (reading code is not a call).
    /// @param salt The version's salt.
    /// @param writer The contract that wrote it.
    /// @return packed The packed set.
    function load(bytes32 salt, address writer) internal view returns (bytes memory packed) {
        return SSTORE2.read(SSTORE2.predictDeterministicAddress(salt, writer));
    }

    /// @notice Unpacks a packed set.
    /// @param packed A packed set (20 bytes per member).
    /// @return members Its members, in order.
    function unpack(bytes memory packed) internal pure returns (address[] memory members) {
        members = new address[](length(packed));
        for (uint256 i = 0; i < members.length; ++i) {
            members[i] = at(packed, i);
        }
    }

    /// @notice Number of members in a packed set.
    /// @param packed A packed set (20 bytes per member).
    /// @return The member count.
    function length(bytes memory packed) internal pure returns (uint256) {
        return packed.length / ADDRESS_BYTES;
    }

    /// @notice Member `i` of a packed set. Requires `i < length(packed)` (callers loop below it).
    /// @param packed A packed set (20 bytes per member).
    /// @param i The position, below `length(packed)`.
    /// @return member The member at `i`.
    function at(bytes memory packed, uint256 i) internal pure returns (address member) {
        // Reads the 20 bytes at offset 20 * i of the payload; the caller keeps i in range. Assembly:
        // one load instead of a 20-byte slice copy on the signature-check path.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            member := shr(96, mload(add(add(packed, 0x20), mul(i, 20))))
        }
    }

    /// @notice The first `count` members of a packed list, in place (the same memory, shortened).
    /// @param packed A packed set (20 bytes per member). Shortened in place.
    /// @param count The number of members to keep.
    /// @return `packed`, shortened.
    function truncate(bytes memory packed, uint256 count) internal pure returns (bytes memory) {
        uint256 newLength = count * ADDRESS_BYTES;
        if (newLength < packed.length) setLength(packed, newLength);
        return packed;
    }

    /// @notice Sets a packed list's byte length in place: to undo a {truncate}, never to grow it
    ///         beyond the length it was loaded with.
    /// @param packed A packed list, changed in place.
    /// @param byteLength The new length in bytes.
    function setLength(bytes memory packed, uint256 byteLength) internal pure {
        // Solidity cannot shorten a bytes array in memory; only this length word changes.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(packed, byteLength)
        }
    }

    /// @notice Whether `account` is among members [from, length) of a packed list sorted there
    ///         (binary search: O(log n) for the allowlist that follows the signers).
    /// @param packed A packed set (20 bytes per member).
    /// @param from The first position searched.
    /// @param account The address searched for.
    /// @return Whether it is there.
    function containsFrom(bytes memory packed, uint256 from, address account) internal pure returns (bool) {
        uint256 low = from;
        uint256 high = length(packed);
        while (low < high) {
            uint256 mid = (low + high) >> 1;
            address member = at(packed, mid);
            if (member == account) return true;
            if (member < account) low = mid + 1;
            else high = mid;
        }
        return false;
    }

    /// @notice Position of `account` in a packed set, searching from `from`; `found` false if absent.
    /// @dev Linear: sets are bounded (the vault's MAX_SIGNERS) and sorted, so a caller walking
    ///      ascending accounts resumes where the last search stopped (one pass for all signatures).
    /// @param packed A packed set (20 bytes per member).
    /// @param account The address searched for.
    /// @param from The first position searched.
    /// @return index Its position, or where the search stopped.
    /// @return found Whether it is a member.
    function indexOf(bytes memory packed, address account, uint256 from)
        internal
        pure
        returns (uint256 index, bool found)
    {
        uint256 n = length(packed);
        index = from;
        while (index < n && at(packed, index) < account) {
            ++index;
        }
        found = index < n && at(packed, index) == account;
    }
}
