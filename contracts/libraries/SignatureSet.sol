// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

import {IReserveVaultErrors} from "../interfaces/IReserveVault.sol";
import {MemberSet} from "./MemberSet.sol";

/// @title Counting EIP-712 signatures of a group (signers, guardians, or the council's union).
/// @notice `signatures` is the concatenation of 65-byte (r, s, v) signatures, signers strictly
///         ascending. OpenZeppelin's ECDSA recovers each (low-s only); each recovered address must
///         be a member of the packed, sorted set; anything else reverts with the rule it broke.
/// @dev One pass: signers ascend, so each one is searched for after the previous one's position.
///      Fuzzed by test/fuzz/SignatureCounting.t.sol.
library SignatureSet {
    uint256 internal constant SIGNATURE_LENGTH = 65;

    /// @notice Bitmap of the member indices whose signatures over `digest` are valid, and their count
    ///         (every signature counts once or the call reverts).
    /// @param digest The EIP-712 digest signed.
    /// @param signatures Concatenated 65-byte (r, s, v) signatures, signers strictly ascending.
    /// @param members The group, packed and sorted.
    /// @return bitmap Bit i set: member i signed.
    /// @return valid The number of signatures.
    function count(bytes32 digest, bytes calldata signatures, bytes memory members)
        internal
        pure
        returns (uint256 bitmap, uint256 valid)
    {
        if (signatures.length % SIGNATURE_LENGTH != 0) {
            revert IReserveVaultErrors.SignaturesLengthInvalid(signatures.length);
        }
        valid = signatures.length / SIGNATURE_LENGTH;
        uint256 memberCount = MemberSet.length(members);
        address previous;
        uint256 cursor;
        for (uint256 i = 0; i < valid; ++i) {
            (address signer, ECDSA.RecoverError err,) = _recover(digest, signatures, i);
            if (err != ECDSA.RecoverError.NoError) revert IReserveVaultErrors.SignatureInvalid(i);
            address member;
            while (cursor < memberCount) {
                member = MemberSet.at(members, cursor);
                if (member >= signer) break;
                ++cursor;
            }
            if (member != signer) _revertUncounted(i, signer, previous);
            bitmap |= 1 << cursor;
            ++cursor;
            previous = signer;
        }
    }

    /// @notice Approvals of `digest` by `members`: valid signatures plus `caller` if it is a member
    ///         (a member acting on-chain needs no signature of its own; it never counts twice).
    /// @param digest The EIP-712 digest signed.
    /// @param signatures Concatenated 65-byte (r, s, v) signatures, signers strictly ascending.
    /// @param members The group, packed and sorted.
    /// @param caller The caller, counted if a member.
    /// @return The number of distinct approving members.
    function countWithCaller(bytes32 digest, bytes calldata signatures, bytes memory members, address caller)
        internal
        pure
        returns (uint256)
    {
        (uint256 bitmap,) = count(digest, signatures, members);
        (uint256 index, bool isMember) = MemberSet.indexOf(members, caller, 0);
        if (isMember) bitmap |= 1 << index;
        return popcount(bitmap);
    }

    /// @notice Number of set bits.
    /// @param x The word.
    /// @return n Its number of set bits.
    function popcount(uint256 x) internal pure returns (uint256 n) {
        while (x != 0) {
            x &= x - 1;
            ++n;
        }
    }

    /// @dev Recovers signature `i` with OpenZeppelin's ECDSA (low-s, v 27/28). r, s and v are read
    ///      straight from calldata: `i` < signatures.length / 65, so all 65 bytes lie inside
    ///      `signatures` (this skips a slice's bounds checks, ~60 gas per signature).
    function _recover(bytes32 digest, bytes calldata signatures, uint256 i)
        private
        pure
        returns (address, ECDSA.RecoverError, bytes32)
    {
        bytes32 r;
        bytes32 s;
        uint8 v;
        // Reads r, s and v in place (see above); the bounds are guaranteed by the caller's loop.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let p := add(signatures.offset, mul(i, SIGNATURE_LENGTH))
            r := calldataload(p)
            s := calldataload(add(p, 32))
            v := byte(0, calldataload(add(p, 64)))
        }
        return ECDSA.tryRecover(digest, v, r, s);
    }

    /// @dev Explains why signature `i` (from `signer`) matched no member after `previous`.
    function _revertUncounted(uint256 i, address signer, address previous) private pure {
        if (signer == previous) revert IReserveVaultErrors.SignatureDuplicated(i, signer);
        if (signer < previous) revert IReserveVaultErrors.SignaturesNotAscending(i, signer, previous);
        revert IReserveVaultErrors.SignatureNotFromSigner(i, signer);
    }
}
