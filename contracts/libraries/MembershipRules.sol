// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {IReserveVaultErrors} from "../interfaces/IReserveVault.sol";
import {MemberSet} from "./MemberSet.sol";

/// @title The membership rules both contracts enforce, and sorted-set helpers.
/// @notice 1 <= M <= N <= 32, 1 <= K <= G <= 32, and the council threshold C a strict majority of
///         all keys that neither group's quorum reaches alone and that the honest keys still reach
///         when one group's quorum is compromised: 2C > N + G, C > max(M, K), and
///         C <= N + G - max(M, K). Sets are strictly ascending, non-zero, signers and guardians
///         disjoint.
library MembershipRules {
    uint256 internal constant MAX_SIGNERS = 32;
    uint256 internal constant MAX_GUARDIANS = 32;

    /// @notice Reverts with the broken rule unless the counts and thresholds are valid together.
    /// @param n N, the number of signers.
    /// @param m M, the signer threshold.
    /// @param g G, the number of guardians.
    /// @param k K, the guardian threshold.
    /// @param council C, the council threshold.
    function checkCounts(uint256 n, uint256 m, uint256 g, uint256 k, uint256 council) internal pure {
        if (n == 0 || n > MAX_SIGNERS) revert IReserveVaultErrors.SignerCountOutOfRange(n, MAX_SIGNERS);
        if (m == 0 || m > n) revert IReserveVaultErrors.ThresholdOutOfRange(m, n);
        if (g == 0 || g > MAX_GUARDIANS) revert IReserveVaultErrors.GuardianCountOutOfRange(g, MAX_GUARDIANS);
        if (k == 0 || k > g) revert IReserveVaultErrors.GuardianThresholdOutOfRange(k, g);
        (uint256 min, uint256 max) = councilBounds(n, m, g, k);
        if (council < min || council > max) revert IReserveVaultErrors.CouncilThresholdOutOfRange(council, min, max);
    }

    /// @notice The smallest and largest valid council threshold for these groups.
    /// @param n N, the number of signers.
    /// @param m M, the signer threshold.
    /// @param g G, the number of guardians.
    /// @param k K, the guardian threshold.
    /// @return min The smallest valid C.
    /// @return max The largest valid C (0 if none).
    function councilBounds(uint256 n, uint256 m, uint256 g, uint256 k)
        internal
        pure
        returns (uint256 min, uint256 max)
    {
        uint256 quorum = m > k ? m : k;
        min = (n + g) / 2 + 1; // 2C > N + G
        if (quorum + 1 > min) min = quorum + 1;
        // The keys outside the larger quorum can still form the council.
        max = n + g > quorum ? n + g - quorum : 0;
    }

    /// @notice The council threshold kept valid as membership changes: raised to a strict
    ///         majority of the N + G keys when keys join, lowered to N + G - max(M, K) when keys
    ///         leave. `checkCounts` still rejects a change after which no valid threshold exists.
    /// @param n N, the number of signers.
    /// @param m M, the signer threshold.
    /// @param g G, the number of guardians.
    /// @param k K, the guardian threshold.
    /// @param council The current C.
    /// @return C, moved into its bounds.
    function adjustCouncil(uint256 n, uint256 m, uint256 g, uint256 k, uint256 council)
        internal
        pure
        returns (uint256)
    {
        (uint256 min, uint256 max) = councilBounds(n, m, g, k);
        if (council < min) return min;
        if (council > max) return max;
        return council;
    }

    /// @notice A whole new set: strictly ascending (so distinct), non-zero, disjoint from `other`.
    /// @param members The new set.
    /// @param other The other group, packed (empty: none).
    /// @param signers Whether `members` are signers (names the errors).
    function checkNewSet(address[] memory members, bytes memory other, bool signers) internal pure {
        for (uint256 i = 0; i < members.length; ++i) {
            if (members[i] == address(0)) {
                if (signers) revert IReserveVaultErrors.SignerIsZeroAddress();
                revert IReserveVaultErrors.GuardianIsZeroAddress();
            }
            if (i > 0 && members[i] <= members[i - 1]) revert IReserveVaultErrors.MembersNotAscending(i);
            (, bool inOther) = MemberSet.indexOf(other, members[i], 0);
            if (inOther) {
                if (signers) revert IReserveVaultErrors.GuardianAlreadyMember(members[i]);
                revert IReserveVaultErrors.GuardianIsSigner(members[i]);
            }
        }
    }

    /// @notice `members` with `account` inserted in order.
    /// @param members A sorted set.
    /// @param account The address to insert (not a member).
    /// @return out The sorted set with `account`.
    function insert(address[] memory members, address account) internal pure returns (address[] memory out) {
        out = new address[](members.length + 1);
        uint256 j = 0;
        // The post-increments in insert, remove and union read the old value as an index
        // (gas-increment-by-one does not apply).
        for (uint256 i = 0; i < out.length; ++i) {
            // solhint-disable-next-line gas-increment-by-one
            out[i] = (j < members.length && (members[j] < account || i > j)) ? members[j++] : account;
        }
    }

    /// @notice `members` without `account` (which must be present).
    /// @param members A sorted set.
    /// @param account The member to remove.
    /// @return out The sorted set without `account`.
    function remove(address[] memory members, address account) internal pure returns (address[] memory out) {
        out = new address[](members.length - 1);
        uint256 j = 0;
        for (uint256 i = 0; i < members.length; ++i) {
            // solhint-disable-next-line gas-increment-by-one
            if (members[i] != account) out[j++] = members[i];
        }
    }

    /// @notice The sorted union of two sorted, disjoint sets, packed (the council's members).
    /// @param a A packed sorted set.
    /// @param b A packed sorted set, disjoint from `a`.
    /// @return The packed sorted union.
    function union(bytes memory a, bytes memory b) internal pure returns (bytes memory) {
        address[] memory x = MemberSet.unpack(a);
        address[] memory y = MemberSet.unpack(b);
        address[] memory out = new address[](x.length + y.length);
        uint256 i = 0;
        uint256 j = 0;
        for (uint256 k = 0; k < out.length; ++k) {
            // solhint-disable-next-line gas-increment-by-one
            out[k] = (j == y.length || (i < x.length && x[i] < y[j])) ? x[i++] : y[j++];
        }
        return MemberSet.pack(out);
    }
}
