// SPDX-License-Identifier: MIT
pragma solidity 0.8.34;

import {ReserveVault} from "../../contracts/ReserveVault.sol";
import {
    ConfigAction,
    IReserveVaultErrors,
    OutflowLimit,
    Withdrawal
} from "../../contracts/interfaces/IReserveVault.sol";
import {GuardianModule} from "../../contracts/guardians/GuardianModule.sol";
import {VaultUnitBase} from "./VaultUnitBase.sol";

/// @title Unit tests of the ReserveVault constructor: the signer set, the delays, the outflow
///        period, limits and allowlist it accepts, and what it records.
/// @notice Each test deploys its own vault (and module) next to the default one of VaultUnitBase.
contract VaultConstructorTest is VaultUnitBase {
    function _expectDeployRevert(
        ReserveVault.InitialConfig memory config,
        ReserveVault.InitialPolicy memory policy,
        bytes memory err
    ) private {
        GuardianModule m = _newModule();
        vm.expectRevert(err);
        new ReserveVault(config, policy, m, rules);
    }

    function _defaultConfig() private view returns (ReserveVault.InitialConfig memory) {
        return _config(_signerAccounts(), THRESHOLD);
    }

    function _defaultPolicy() private view returns (ReserveVault.InitialPolicy memory) {
        return _policy(new address[](0), false);
    }

    function _policyWithPeriod(uint256 period) private view returns (ReserveVault.InitialPolicy memory p) {
        p = _defaultPolicy();
        p.outflowPeriod = period;
    }

    // -------------------------------------------------------------------------------------
    // Signers
    // -------------------------------------------------------------------------------------

    /// The signers are stored sorted whatever their order, and the epoch starts at 1.
    function test_ConstructorSortsSigners() external {
        address[] memory reversed = new address[](SIGNER_COUNT);
        for (uint256 i = 0; i < SIGNER_COUNT; ++i) {
            reversed[i] = _signer(SIGNER_COUNT - 1 - i);
        }
        (ReserveVault v,) = _deploy(_config(reversed, THRESHOLD), _defaultPolicy());
        address[] memory stored = v.signers();
        for (uint256 i = 0; i < SIGNER_COUNT; ++i) {
            _assertEq(stored[i], _signer(i), "sorted");
        }
        (uint32 epoch, uint256 m, uint256 n,,,,) = v.configuration();
        _assertEq(epoch, 1, "epoch");
        _assertEq(m, THRESHOLD, "threshold");
        _assertEq(n, SIGNER_COUNT, "count");
    }

    /// The zero address cannot be a signer.
    function test_RevertWhen_ConstructorSignerIsZeroAddress() external {
        ReserveVault.InitialConfig memory config = _defaultConfig();
        config.signers[2] = address(0);
        _expectDeployRevert(
            config, _defaultPolicy(), abi.encodeWithSelector(IReserveVaultErrors.SignerIsZeroAddress.selector)
        );
    }

    /// A signer cannot be listed twice.
    function test_RevertWhen_ConstructorDuplicateSigner() external {
        ReserveVault.InitialConfig memory config = _defaultConfig();
        config.signers[3] = _signer(1);
        _expectDeployRevert(
            config,
            _defaultPolicy(),
            abi.encodeWithSelector(IReserveVaultErrors.SignerAlreadyMember.selector, _signer(1))
        );
        // The smallest address twice: the duplicate pair is the first two of the sorted list.
        config.signers[3] = _signer(0);
        _expectDeployRevert(
            config,
            _defaultPolicy(),
            abi.encodeWithSelector(IReserveVaultErrors.SignerAlreadyMember.selector, _signer(0))
        );
    }

    /// A guardian cannot be a signer.
    function test_RevertWhen_ConstructorSignerIsGuardian() external {
        ReserveVault.InitialConfig memory config = _defaultConfig();
        config.signers[0] = _guardian(1);
        _expectDeployRevert(
            config,
            _defaultPolicy(),
            abi.encodeWithSelector(IReserveVaultErrors.GuardianIsSigner.selector, _guardian(1))
        );
    }

    /// The membership rules apply to the initial set (threshold within 1..N).
    function test_RevertWhen_ConstructorThresholdOutOfRange() external {
        _expectDeployRevert(
            _config(_signerAccounts(), 0),
            _defaultPolicy(),
            abi.encodeWithSelector(IReserveVaultErrors.ThresholdOutOfRange.selector, 0, SIGNER_COUNT)
        );
        _expectDeployRevert(
            _config(_signerAccounts(), SIGNER_COUNT + 1),
            _defaultPolicy(),
            abi.encodeWithSelector(IReserveVaultErrors.ThresholdOutOfRange.selector, SIGNER_COUNT + 1, SIGNER_COUNT)
        );
    }

    /// The delays are checked by ConfigRules (withdrawal delay at least an hour).
    function test_RevertWhen_ConstructorDelayOutOfRange() external {
        ReserveVault.InitialConfig memory config = _defaultConfig();
        config.withdrawalDelay = 1 hours - 1;
        _expectDeployRevert(
            config,
            _defaultPolicy(),
            abi.encodeWithSelector(
                IReserveVaultErrors.DelayOutOfRange.selector,
                ConfigAction.SetWithdrawalDelay,
                1 hours - 1,
                1 hours,
                CONFIG_DELAY
            )
        );
    }

    // -------------------------------------------------------------------------------------
    // Signing domain
    // -------------------------------------------------------------------------------------

    /// Signers sign in the domain SPEC §2 names: `ReserveVault`, version `1`, this chain, this vault.
    /// The id of a withdrawal is its EIP-712 digest in that domain, computed here from the SPEC's
    /// strings rather than read back from the vault (a wallet shows the name it is given).
    function test_ConstructorSetsTheSpecSigningDomain() external view {
        (, string memory name, string memory version, uint256 chainId, address verifyingContract,,) =
            vault.eip712Domain();
        _assertEq(keccak256(bytes(name)), keccak256("ReserveVault"), "name");
        _assertEq(keccak256(bytes(version)), keccak256("1"), "version");
        _assertEq(chainId, block.chainid, "chain id");
        _assertEq(verifyingContract, address(vault), "verifying contract");

        Withdrawal memory w = _eth(1 ether, 0);
        bytes32 domain = keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("ReserveVault"),
                keccak256("1"),
                block.chainid,
                address(vault)
            )
        );
        bytes32 content = keccak256(
            abi.encode(
                keccak256("Withdrawal(address asset,address to,uint256 amount,uint32 nonce,uint32 epoch)"),
                w.asset,
                w.to,
                w.amount,
                w.nonce,
                w.epoch
            )
        );
        _assertEq(vault.withdrawalId(w), keccak256(abi.encodePacked("\x19\x01", domain, content)), "withdrawal id");
    }

    // -------------------------------------------------------------------------------------
    // Policy
    // -------------------------------------------------------------------------------------

    /// The outflow period lies in [1 hour, 30 days]: both ends accepted, one second beyond rejected.
    function test_RevertWhen_ConstructorOutflowPeriodOutOfRange() external {
        bytes memory low = abi.encodeWithSelector(
            IReserveVaultErrors.OutflowPeriodOutOfRange.selector, 1 hours - 1, 1 hours, 30 days
        );
        _expectDeployRevert(_defaultConfig(), _policyWithPeriod(1 hours - 1), low);
        bytes memory high = abi.encodeWithSelector(
            IReserveVaultErrors.OutflowPeriodOutOfRange.selector, 30 days + 1, 1 hours, 30 days
        );
        _expectDeployRevert(_defaultConfig(), _policyWithPeriod(30 days + 1), high);
        (ReserveVault shortest,) = _deploy(_defaultConfig(), _policyWithPeriod(1 hours));
        (, uint256 p1,,) = shortest.withdrawalPolicy();
        _assertEq(p1, 1 hours, "shortest period");
        (ReserveVault longest,) = _deploy(_defaultConfig(), _policyWithPeriod(30 days));
        (, uint256 p2,,) = longest.withdrawalPolicy();
        _assertEq(p2, 30 days, "longest period");
    }

    /// A limit is at most UNLIMITED (2^96 - 1), which is accepted.
    function test_RevertWhen_ConstructorOutflowLimitTooLarge() external {
        ReserveVault.InitialPolicy memory p = _defaultPolicy();
        p.outflowLimits[0].limit = UNLIMITED + 1;
        _expectDeployRevert(
            _defaultConfig(),
            p,
            abi.encodeWithSelector(IReserveVaultErrors.OutflowLimitTooLarge.selector, UNLIMITED + 1, UNLIMITED)
        );
        p.outflowLimits[0].limit = UNLIMITED;
        (ReserveVault v,) = _deploy(_defaultConfig(), p);
        (uint256 limit,,) = v.outflow(address(0));
        _assertEq(limit, UNLIMITED, "UNLIMITED accepted");
    }

    /// The constructor records each limit (announced from 0) and each allowlist entry, and the switch.
    function test_ConstructorRecordsPolicy() external {
        address[] memory list = new address[](2);
        list[0] = address(0xB0B);
        list[1] = address(0xA11CE);
        ReserveVault.InitialPolicy memory p = _policy(list, true);
        GuardianModule m = _newModule();
        vm.expectEmit();
        emit OutflowLimitChanged(address(0), 0, ETH_LIMIT);
        vm.expectEmit();
        emit OutflowLimitChanged(address(token), 0, UNLIMITED);
        vm.expectEmit();
        emit AllowlistEntryChanged(address(0xB0B), false, true);
        vm.expectEmit();
        emit AllowlistEntryChanged(address(0xA11CE), false, true);
        vm.expectEmit();
        emit AllowlistEnabledChanged(false, true);
        ReserveVault v = new ReserveVault(_defaultConfig(), p, m, rules);
        (,, bool enabled, address[] memory stored) = v.withdrawalPolicy();
        _assertTrue(enabled, "enabled");
        _assertEq(stored.length, 2, "entries");
        _assertEq(stored[0], address(0xB0B), "sorted 0");
        _assertEq(stored[1], address(0xA11CE), "sorted 1");
        (uint256 tokenLimit,,) = v.outflow(address(token));
        _assertEq(tokenLimit, UNLIMITED, "token limit");
        (uint256 otherLimit,,) = v.outflow(OUTSIDER);
        _assertEq(otherLimit, 0, "an unlisted asset has limit 0");
    }

    /// A later entry for the same asset overrides an earlier one (announced from its old limit).
    function test_ConstructorLaterLimitOverrides() external {
        ReserveVault.InitialPolicy memory p = _defaultPolicy();
        OutflowLimit[] memory limits = new OutflowLimit[](2);
        limits[0] = OutflowLimit({asset: address(0), limit: 5 ether});
        limits[1] = OutflowLimit({asset: address(0), limit: 7 ether});
        p.outflowLimits = limits;
        GuardianModule m = _newModule();
        vm.expectEmit();
        emit OutflowLimitChanged(address(0), 0, 5 ether);
        vm.expectEmit();
        emit OutflowLimitChanged(address(0), 5 ether, 7 ether);
        ReserveVault v = new ReserveVault(_defaultConfig(), p, m, rules);
        (uint256 limit,,) = v.outflow(address(0));
        _assertEq(limit, 7 ether, "last limit wins");
    }

    /// Allowlist entries are non-zero.
    function test_RevertWhen_ConstructorAllowlistHasZeroAddress() external {
        address[] memory list = new address[](2);
        list[0] = address(0xB0B);
        _expectDeployRevert(
            _defaultConfig(),
            _policy(list, false),
            abi.encodeWithSelector(IReserveVaultErrors.DestinationIsZeroAddress.selector)
        );
    }

    /// Allowlist entries are distinct.
    function test_RevertWhen_ConstructorAllowlistDuplicate() external {
        address[] memory list = new address[](3);
        list[0] = address(0xB0B);
        list[1] = address(0xA11CE);
        list[2] = address(0xB0B);
        _expectDeployRevert(
            _defaultConfig(),
            _policy(list, false),
            abi.encodeWithSelector(IReserveVaultErrors.DestinationAlreadyAllowed.selector, address(0xB0B))
        );
    }

    /// The allowlist holds at most 64 entries: 64 accepted, 65 rejected.
    function test_RevertWhen_ConstructorAllowlistFull() external {
        address[] memory list = new address[](65);
        for (uint256 i = 0; i < list.length; ++i) {
            list[i] = address(uint160(0x1000 + i));
        }
        _expectDeployRevert(
            _defaultConfig(),
            _policy(list, false),
            abi.encodeWithSelector(IReserveVaultErrors.AllowlistFull.selector, 64)
        );
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(list, 64)
        }
        (ReserveVault v,) = _deploy(_defaultConfig(), _policy(list, false));
        (,,, address[] memory stored) = v.withdrawalPolicy();
        _assertEq(stored.length, 64, "64 entries");
    }

    /// A module can be bound to one vault only: the second vault is told it is not the module's.
    function test_RevertWhen_ConstructorModuleAlreadyBound() external {
        try new ReserveVault(_defaultConfig(), _defaultPolicy(), module, rules) returns (ReserveVault) {
            revert("a second vault bound the module");
        } catch (bytes memory data) {
            _assertEq(bytes32(bytes4(data)), bytes32(IReserveVaultErrors.CallerNotVault.selector), "error");
            _assertEq(data.length, 36, "one argument");
            address newVault;
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                newVault := mload(add(data, 36))
            }
            _assertTrue(newVault != address(0) && newVault != address(vault), "the new vault is the caller");
        }
        _assertEq(address(module.VAULT()), address(vault), "still bound to the first vault");
    }
}
